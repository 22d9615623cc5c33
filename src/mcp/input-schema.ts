/**
 * A tool's `inputSchema`, made from the same zod schema that validates its arguments, so the two
 * cannot drift. The JSON Schema is what the agent's model reads on every turn, so it is trimmed of
 * what only costs tokens: `$schema` (MCP assumes 2020-12), the long regex zod adds beside
 * `format: "date-time"`, and the MAX_SAFE_INTEGER bound on integers. Refinements (e.g. "at least one
 * of user_id, agent_id or run_id") have no JSON Schema form; the tool descriptions state them.
 */
import * as z from 'zod';

type Json = Record<string, unknown>;

function trim(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(trim);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Json;
  if (typeof obj.format === 'string') delete obj.pattern;
  if (obj.maximum === Number.MAX_SAFE_INTEGER) delete obj.maximum;
  Object.values(obj).forEach(trim);
}

/**
 * `io: 'input'` describes what the caller sends: fields with a default are optional and time fields
 * show their ISO-8601-or-epoch-ms input, not the parsed number. `docs` adds a description to top-level
 * properties that have none.
 */
export function inputSchema(schema: z.ZodType, docs: Record<string, string> = {}): Json {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  trim(json);
  const props = (json.properties ?? {}) as Record<string, Json>;
  for (const [name, text] of Object.entries(docs)) {
    const prop = props[name];
    if (prop && prop.description === undefined) props[name] = { description: text, ...prop };
  }
  return { type: 'object', ...json };
}
