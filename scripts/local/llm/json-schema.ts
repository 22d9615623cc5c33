/**
 * A small validator for the JSON-schema subset that OpenAI's structured outputs accept, used to prove
 * that every rule-mode answer matches the `response_format.json_schema.schema` it was asked for.
 *
 * Supported keywords: type (one name or an array, e.g. ["string", "null"]), properties, required,
 * additionalProperties (false or a schema), enum, const, items, anyOf, minItems/maxItems, and local
 * `$ref`s into `$defs` / `definitions`. Other keywords (description, format, pattern …) are ignored:
 * they never make an answer of ours wrong in a way a client would notice.
 */

export type JsonSchema = { [keyword: string]: unknown };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function asSchema(value: unknown): JsonSchema | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

/** Follows `#/$defs/x` or `#/definitions/x` against the root schema. */
function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = asSchema(node)?.[part];
  const target = asSchema(node);
  if (!target) throw new Error(`json-schema: unresolvable $ref ${ref}`);
  return resolve(target, root);
}

/** Returns every violation as "path: problem"; an empty list means `value` is valid. */
export function validate(schema: JsonSchema, value: unknown, root: JsonSchema = schema, path = '$'): string[] {
  const s = resolve(schema, root);
  if (Array.isArray(s.anyOf)) {
    const branches = s.anyOf.map((b) => validate(asSchema(b) ?? {}, value, root, path));
    return branches.some((e) => e.length === 0) ? [] : [`${path}: matches no anyOf branch`];
  }
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.map(String) : [];
  if (types.length > 0 && !types.some((t) => typeMatches(t, value))) {
    return [`${path}: expected ${types.join(' | ')}, got ${typeOf(value)}`];
  }
  const errors: string[] = [];
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === value)) errors.push(`${path}: not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && s.const !== value) errors.push(`${path}: expected const ${JSON.stringify(s.const)}`);
  if (Array.isArray(value)) errors.push(...validateArray(s, value, root, path));
  else if (typeOf(value) === 'object') errors.push(...validateObject(s, value as Record<string, unknown>, root, path));
  return errors;
}

function validateArray(s: JsonSchema, value: unknown[], root: JsonSchema, path: string): string[] {
  const errors: string[] = [];
  if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
  const items = asSchema(s.items);
  if (items) value.forEach((v, i) => errors.push(...validate(items, v, root, `${path}[${i}]`)));
  return errors;
}

function validateObject(s: JsonSchema, value: Record<string, unknown>, root: JsonSchema, path: string): string[] {
  const errors: string[] = [];
  const properties = asSchema(s.properties) ?? {};
  const required = Array.isArray(s.required) ? s.required.map(String) : [];
  for (const key of required) if (!(key in value)) errors.push(`${path}: missing required property "${key}"`);
  for (const [key, v] of Object.entries(value)) {
    const propertySchema = asSchema(properties[key]);
    if (propertySchema) errors.push(...validate(propertySchema, v, root, `${path}.${key}`));
    else if (s.additionalProperties === false) errors.push(`${path}: unexpected property "${key}"`);
    else if (asSchema(s.additionalProperties)) {
      errors.push(...validate(asSchema(s.additionalProperties) ?? {}, v, root, `${path}.${key}`));
    }
  }
  return errors;
}

/**
 * The smallest value that validates: null where allowed, else "", 0, false, [] (or minItems copies),
 * and objects with only their required properties. What rule mode answers to a schema it does not know.
 */
export function minimalValue(schema: JsonSchema, root: JsonSchema = schema): Json {
  const s = resolve(schema, root);
  if ('const' in s) return s.const as Json;
  if (Array.isArray(s.enum)) return (s.enum.includes(null) ? null : s.enum[0]) as Json;
  if (Array.isArray(s.anyOf)) return minimalValue(asSchema(s.anyOf[0]) ?? {}, root);
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.map(String) : [];
  if (types.includes('null')) return null;
  switch (types[0]) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array': {
      const count = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: count }, () => minimalValue(asSchema(s.items) ?? {}, root));
    }
    default: {
      const properties = asSchema(s.properties) ?? {};
      const required = Array.isArray(s.required) ? s.required.map(String) : [];
      const out: { [key: string]: Json } = {};
      for (const key of required) out[key] = minimalValue(asSchema(properties[key]) ?? {}, root);
      return out;
    }
  }
}
