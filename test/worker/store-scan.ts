/**
 * Whole-store scans for erase tests: every Redis key (name and value) and every vector record in
 * every namespace, searched for given strings (a user id, its memory and event ids). Generic on
 * purpose — no list of key families — so a key family added later is covered without a change here.
 *
 * Redis is read through the local Upstash Redis REST server's protocol routes (SCAN, then TYPE and a
 * read per type in pipelines); Vector through its REST endpoints (list-namespaces, range).
 */
import { redis, vector } from './helpers';

export interface Leftover {
  store: 'redis' | 'vector';
  /** The Redis key, or `namespace / record id`. */
  where: string;
  /** Which searched strings it mentions. */
  mentions: string[];
  /** The value (Redis) or record (Vector), shortened. */
  sample: string;
}

const READ_BY_TYPE: Record<string, (key: string) => string[]> = {
  string: (k) => ['GET', k],
  list: (k) => ['LRANGE', k, '0', '-1'],
  hash: (k) => ['HGETALL', k],
  set: (k) => ['SMEMBERS', k],
  zset: (k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES'],
};

const BATCH = 500;

async function pipeline(commands: string[][]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < commands.length; i += BATCH) {
    const replies = (await redis('POST', '/pipeline', commands.slice(i, i + BATCH))) as Array<{ result?: unknown; error?: string }>;
    for (const r of replies) {
      if (r.error) throw new Error(`redis: ${r.error}`);
      out.push(r.result);
    }
  }
  return out;
}

export async function allRedisKeys(): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const { result } = (await redis('POST', '/', ['SCAN', cursor, 'MATCH', '*', 'COUNT', '1000'])) as { result: [string, string[]] };
    for (const k of result[1]) found.add(k);
    cursor = String(result[0]);
  } while (cursor !== '0');
  return [...found].sort();
}

const mentionsOf = (text: string, needles: string[]) => needles.filter((n) => text.includes(n));

/** Every Redis key whose name or value mentions one of `needles`. */
export async function scanRedis(needles: string[]): Promise<{ keys: number; leftovers: Leftover[] }> {
  const names = await allRedisKeys();
  const types = (await pipeline(names.map((k) => ['TYPE', k]))).map(String);
  const reads = names.map((k, i) => {
    const read = READ_BY_TYPE[types[i]!];
    if (!read) throw new Error(`key ${k} has a type this scan cannot read: ${types[i]}`);
    return read(k);
  });
  const values = await pipeline(reads);
  const leftovers: Leftover[] = [];
  names.forEach((name, i) => {
    const text = `${name}\n${JSON.stringify(values[i])}`;
    const mentions = mentionsOf(text, needles);
    if (mentions.length > 0) leftovers.push({ store: 'redis', where: name, mentions, sample: JSON.stringify(values[i]).slice(0, 300) });
  });
  return { keys: names.length, leftovers };
}

export async function vectorNamespaces(): Promise<string[]> {
  return ((await vector('POST', '/list-namespaces')) as { result: string[] }).result;
}

/** Every vector record, in every namespace, whose id, metadata or data mentions one of `needles`; and namespaces named after one. */
export async function scanVector(needles: string[]): Promise<{ namespaces: number; records: number; leftovers: Leftover[] }> {
  const namespaces = await vectorNamespaces();
  const leftovers: Leftover[] = [];
  let records = 0;
  for (const ns of namespaces) {
    const named = mentionsOf(ns, needles);
    if (named.length > 0) leftovers.push({ store: 'vector', where: `${ns} (namespace)`, mentions: named, sample: '' });
    let cursor = '0';
    do {
      const page = (await vector('POST', `/range/${encodeURIComponent(ns)}`, { cursor, limit: 1000, includeMetadata: true, includeData: true }))
        .result as { nextCursor: string; vectors: Array<{ id: string; metadata?: unknown; data?: string }> };
      for (const v of page.vectors) {
        records++;
        const text = JSON.stringify(v);
        const mentions = mentionsOf(text, needles);
        if (mentions.length > 0) leftovers.push({ store: 'vector', where: `${ns} / ${v.id}`, mentions, sample: text.slice(0, 300) });
      }
      cursor = page.nextCursor;
    } while (cursor !== '' && cursor !== '0');
  }
  return { namespaces: namespaces.length, records, leftovers };
}

/** A Redis value in a comparable form: hashes and sets sorted, zsets as [member, score] pairs by rank. */
export type RawValue = string | string[] | Array<[string, string]>;

function normalise(type: string, value: unknown): RawValue {
  if (type === 'string') return String(value);
  const flat = (value as unknown[]).map(String);
  const pairs: Array<[string, string]> = [];
  if (type === 'hash' || type === 'zset') for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  if (type === 'list') return flat;
  if (type === 'set') return flat.sort();
  if (type === 'hash') return pairs.sort(([a], [b]) => a.localeCompare(b));
  return pairs;
}

/**
 * The raw Redis state of one user's primary scope: every key under its prefix, its entries in the
 * tenant's id index, and its places in the global expiry and compaction queues.
 */
export async function scopeKeys(tenant: string, user: string): Promise<Record<string, { type: string; value: RawValue }>> {
  const prefix = `eg:${tenant}:u.${user}:`;
  const names = (await allRedisKeys()).filter((k) => k.startsWith(prefix));
  const types = (await pipeline(names.map((k) => ['TYPE', k]))).map(String);
  const values = await pipeline(names.map((k, i) => READ_BY_TYPE[types[i]!]!(k)));
  const out: Record<string, { type: string; value: RawValue }> = {};
  names.forEach((k, i) => (out[k] = { type: types[i]!, value: normalise(types[i]!, values[i]) }));
  const member = `${tenant}|u.${user}`;
  const [ids, expiry, compact] = await pipeline([['HGETALL', `eg:${tenant}:ids`], ['ZSCORE', 'eg:expiry-scopes', member], ['ZSCORE', 'eg:compact-scopes', member]]);
  out[`eg:${tenant}:ids (this user's fields)`] = { type: 'hash', value: (normalise('hash', ids) as Array<[string, string]>).filter(([, v]) => v === `u.${user}`) };
  out['eg:expiry-scopes (this user)'] = { type: 'zset', value: expiry === null ? [] : [[member, String(expiry)]] };
  out['eg:compact-scopes (this user)'] = { type: 'zset', value: compact === null ? [] : [[member, String(compact)]] };
  return out;
}
