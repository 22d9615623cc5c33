/**
 * Entities of the knowledge graph and their resolution. Pure: no I/O, `now` injected.
 *
 * An entity is keyed by its normalised name (`entityKey`); its aliases are other normalised names
 * that lead to it. Resolving a name, in order:
 *   1. exact: the normalised name is an entity's key, or an alias of exactly one entity;
 *   2. alias: a name the conversation gives as another name of it ("Robert Smith, everyone calls him
 *      Bob") is the entity's own name;
 *   3. similarity: the name is a near spelling (trigram Dice ≥ 0.85, both ≥ 6 characters) of exactly
 *      one entity of a compatible type.
 * Anything weaker — a first name shared by two people, a name that only contains another — makes a
 * new entity rather than a merge: wrongly merged people are worse than one person under two names.
 * An alias that would lead to two entities is marked ambiguous and then leads to neither.
 */

export type EntityType = 'person' | 'organisation' | 'place' | 'product' | 'other';
export const ENTITY_TYPES: readonly EntityType[] = ['person', 'organisation', 'place', 'product', 'other'];

export interface Entity {
  key: string;
  name: string;
  type: EntityType;
  /** Normalised names, other than the key, that resolve to this entity. */
  aliases: string[];
  created_at: number;
  updated_at: number;
}

/** A name as the extraction gave it, with what it said about it. */
export interface Mention {
  name: string;
  type?: EntityType;
  aliases?: string[];
}

/** A scope's entities and the alias index (normalised name → entity key; "" = ambiguous). */
export interface EntityDirectory {
  entities: Map<string, Entity>;
  aliases: Map<string, string>;
}

export const AMBIGUOUS = '';
/** The speaker: extraction names them "user". */
export const USER_ENTITY = 'user';
const MAX_KEY = 128;
const CORPORATE_SUFFIX = /\s+(inc|incorporated|ltd|llc|plc|corp|corporation|gmbh|co)$/;

/** "The  Anthropic, Inc." → "anthropic"; "Alice's" → "alice"; "" when nothing is left. */
export function entityKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^\p{L}\p{N}&+#@-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(CORPORATE_SUFFIX, '')
    .slice(0, MAX_KEY)
    .trim();
}

function trigrams(s: string): Map<string, number> {
  const padded = `  ${s} `;
  const grams = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const g = padded.slice(i, i + 3);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Sørensen–Dice coefficient over character trigrams, 0..1. */
export function similarity(a: string, b: string): number {
  const ga = trigrams(a);
  const gb = trigrams(b);
  let shared = 0;
  let total = 0;
  for (const [g, n] of ga) {
    shared += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

const SIMILAR = 0.85;
const MIN_SIMILAR_LENGTH = 6;
const compatible = (a: EntityType | undefined, b: EntityType) => a === undefined || a === 'other' || b === 'other' || a === b;

export interface Resolution {
  /** Canonical entity for a name (as given anywhere in the extraction), or undefined when it has none. */
  resolve(name: string): Entity | undefined;
  /** Entities created or changed (new aliases, a better type): to write. */
  changed: Entity[];
  /** Alias index entries to write (AMBIGUOUS marks a name that now leads to two entities). */
  aliasWrites: Array<[alias: string, key: string]>;
}

/**
 * Resolves every mention against the directory, creating entities for new names. Mentions with a
 * type or aliases should come first: the first mention of a name decides its entity's type.
 */
export function resolveMentions(dir: EntityDirectory, mentions: Mention[], now: number): Resolution {
  const entities = new Map(dir.entities);
  const aliases = new Map(dir.aliases);
  const changed = new Map<string, Entity>();
  const aliasWrites = new Map<string, string>();
  const byName = new Map<string, string>();

  const setAlias = (alias: string, key: string) => {
    const owner = aliases.get(alias);
    if (owner === key) return;
    const next = owner === undefined ? key : AMBIGUOUS;
    aliases.set(alias, next);
    aliasWrites.set(alias, next);
    if (owner) drop(owner, alias);
    if (next === key && alias !== key) edit(key, (e) => (e.aliases.includes(alias) ? e : { ...e, aliases: [...e.aliases, alias] }));
  };
  const drop = (key: string, alias: string) => edit(key, (e) => ({ ...e, aliases: e.aliases.filter((a) => a !== alias) }));
  const edit = (key: string, f: (e: Entity) => Entity) => {
    const e = entities.get(key);
    if (!e) return;
    const next = f(e);
    if (next === e) return;
    const stamped = { ...next, updated_at: now };
    entities.set(key, stamped);
    changed.set(key, stamped);
  };
  /** An entity's own name first (even when the name is also an ambiguous alias), then an alias. */
  const lookup = (key: string): string | undefined => (entities.has(key) ? key : aliases.get(key) || undefined);
  const similar = (key: string, type: EntityType | undefined): string | undefined => {
    if (key.length < MIN_SIMILAR_LENGTH) return undefined;
    const hits = new Set<string>();
    for (const e of entities.values()) {
      if (!compatible(type, e.type)) continue;
      for (const name of [e.key, ...e.aliases]) {
        if (name.length >= MIN_SIMILAR_LENGTH && similarity(key, name) >= SIMILAR) hits.add(e.key);
      }
    }
    return hits.size === 1 ? [...hits][0] : undefined;
  };

  for (const m of mentions) {
    const key = entityKey(m.name);
    if (!key || byName.has(key)) {
      if (key && m.aliases?.length) for (const a of m.aliases.map(entityKey).filter(Boolean)) setAlias(a, byName.get(key)!);
      continue;
    }
    const declared = (m.aliases ?? []).map(entityKey).filter((a) => a && a !== key);
    // A declared alias links to an entity only by that entity's own name, not by another of its aliases.
    const named = declared.find((a) => aliases.get(a) === a);
    const found = lookup(key) ?? named ?? (aliases.get(key) === AMBIGUOUS ? undefined : similar(key, m.type));
    if (found) {
      byName.set(key, found);
      if (key !== found && aliases.get(key) !== found && aliases.get(key) !== AMBIGUOUS) setAlias(key, found);
      if (m.type && m.type !== 'other') edit(found, (e) => (e.type === 'other' ? { ...e, type: m.type! } : e));
      for (const a of declared) setAlias(a, found);
      continue;
    }
    // A name already ambiguous stays a name of neither entity: it becomes its own entity only by its key.
    const created: Entity = { key, name: m.name.trim(), type: key === USER_ENTITY ? 'person' : (m.type ?? 'other'), aliases: [], created_at: now, updated_at: now };
    entities.set(key, created);
    changed.set(key, created);
    byName.set(key, key);
    if (aliases.get(key) !== AMBIGUOUS) {
      aliases.set(key, key);
      aliasWrites.set(key, key);
    }
    for (const a of declared) setAlias(a, key);
  }

  return {
    resolve: (name) => {
      const k = byName.get(entityKey(name));
      return k === undefined ? undefined : entities.get(k);
    },
    changed: [...changed.values()],
    aliasWrites: [...aliasWrites.entries()],
  };
}

const STOP = new Set(['a', 'an', 'and', 'are', 'at', 'be', 'did', 'do', 'does', 'for', 'from', 'has', 'have', 'how', 'i', 'in', 'is', 'it', 'me', 'my', 'of', 'on', 'or', 'the', 'to', 'was', 'what', 'when', 'where', 'which', 'who', 'why', 'with', 'you', 'your']);
const MAX_QUERY_WORDS = 32;
const MAX_CANDIDATES = 128;

/**
 * The names a query may be naming: every run of 1–4 words, normalised (a lone stop word is not a
 * name). Matched against the alias index on the read path, so a query costs one HMGET-sized lookup.
 */
export function queryNames(query: string): string[] {
  const words = entityKey(query).split(' ').filter(Boolean).slice(0, MAX_QUERY_WORDS);
  const out = new Set<string>();
  for (let n = 4; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const name = words.slice(i, i + n).join(' ');
      if (n === 1 && STOP.has(name)) continue;
      out.add(name);
    }
  }
  return [...out].slice(0, MAX_CANDIDATES);
}
