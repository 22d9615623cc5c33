/**
 * MemoryIndex on Upstash Vector. The indexed text is the record's `data` (embedded by the index when
 * EMBEDDINGS=vector — one round trip per query): the memory text, after the record's `context` when it
 * has one (an episode's speaker and day), which is kept in metadata too and cut off again on read.
 * Everything filters need is plain metadata, with times as epoch-ms numbers and optional fields left
 * out rather than null.
 *
 * Text queries ask a HYBRID index (dense + BM25 sparse, the recommended setup) to fuse the two sides
 * with DBSF rather than the default RRF: DBSF keeps how far apart the scores are, where RRF keeps only
 * the ranks — a turn that matches a rare word far better than anything else stays far ahead, and the
 * fused score stays on a scale where rank.ts's small kind and recency terms only break near-ties
 * (RRF scores are ≤ 2/61, smaller than those terms). A DENSE or SPARSE index has one list: nothing to fuse.
 *
 * With an `embed` function (EMBEDDINGS=openai) the Worker embeds first and sends vectors: two
 * sequential round trips per query, and the index must be a DENSE one of the same dimension.
 */
import { FusionAlgorithm, type Index } from '@upstash/vector/cloudflare';
import type { MemoryRecord } from '../memory/model';
import type { MemoryIndex, VectorMatch } from '../ports';
import { invalid } from '../errors';
import { guard } from './guard';

type Embed = (texts: string[]) => Promise<number[][]>;
type Meta = Omit<MemoryRecord, 'id' | 'text'>;

/** What the index embeds: the context (if any), a space, the memory text. */
const indexedText = (r: MemoryRecord): string => (r.context ? `${r.context} ${r.text}` : r.text);

function toRecord(id: string | number, data: string | undefined, meta: Meta | undefined): MemoryRecord {
  const indexed = data ?? '';
  const prefix = meta?.context ? `${meta.context} ` : '';
  return { ...(meta as Meta), id: String(id), text: prefix && indexed.startsWith(prefix) ? indexed.slice(prefix.length) : indexed };
}

function toMeta(r: MemoryRecord): Meta {
  const { id: _id, text: _text, ...meta } = r;
  return meta;
}

export class UpstashMemoryIndex implements MemoryIndex {
  constructor(
    private readonly index: Index,
    private readonly embed?: Embed,
  ) {}

  upsert(namespace: string, records: MemoryRecord[]) {
    if (records.length === 0) return Promise.resolve();
    return guard('vector', async () => {
      if (this.embed) {
        const vectors = await this.embed(records.map(indexedText));
        await this.index.upsert(records.map((r, i) => ({ id: r.id, vector: vectors[i] ?? [], data: indexedText(r), metadata: toMeta(r) })), { namespace });
      } else {
        await this.index.upsert(records.map((r) => ({ id: r.id, data: indexedText(r), metadata: toMeta(r) })), { namespace });
      }
    });
  }

  query(namespace: string, q: { text: string; topK: number; filter: string }): Promise<VectorMatch[]> {
    return guard('vector', async () => {
      const base = { topK: q.topK, filter: q.filter, includeMetadata: true, includeData: true } as const;
      const hits = this.embed
        ? await this.index.query<Meta>({ ...base, vector: (await this.embed([q.text]))[0] ?? [] }, { namespace })
        : await this.index.query<Meta>({ ...base, data: q.text, fusionAlgorithm: FusionAlgorithm.DBSF }, { namespace });
      return hits.map((h) => ({ record: toRecord(h.id, h.data, h.metadata), score: h.score }));
    });
  }

  fetch(namespace: string, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return guard('vector', async () => {
      const found = await this.index.fetch<Meta>(ids, { includeMetadata: true, includeData: true, namespace });
      return found.map((v) => (v ? toRecord(v.id, v.data, v.metadata) : null));
    });
  }

  remove(namespace: string, ids: string[]) {
    if (ids.length === 0) return Promise.resolve();
    return guard('vector', async () => void (await this.index.delete(ids, { namespace })));
  }

  page(namespace: string, cursor: string, limit: number) {
    return guard('vector', async () => {
      const res = await this.index.range<Meta>({ cursor, limit, includeMetadata: true, includeData: true }, { namespace }).catch((err: unknown) => {
        // The cursor is the caller's (a `next_cursor` handed out before): one Vector refuses is their mistake, not an outage.
        if (cursor !== '0' && /cursor/i.test(err instanceof Error ? err.message : '')) throw invalid('cursor is not one this API handed out; list again without it.');
        throw err;
      });
      return { records: res.vectors.map((v) => toRecord(v.id, v.data, v.metadata)), cursor: String(res.nextCursor) };
    });
  }

  dropNamespace(namespace: string) {
    return guard('vector', async () => {
      try {
        await this.index.deleteNamespace(namespace);
      } catch (err) {
        // Erasing a scope that never stored a memory is not an error.
        if (!/does not exist|not found/i.test(err instanceof Error ? err.message : '')) throw err;
      }
    });
  }
}
