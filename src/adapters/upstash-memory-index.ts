/**
 * MemoryIndex on Upstash Vector. The memory text is the record's `data` (embedded by the index when
 * EMBEDDINGS=vector — one round trip per query); everything filters need is plain metadata, with
 * times as epoch-ms numbers and optional fields left out rather than null.
 *
 * With an `embed` function (EMBEDDINGS=openai) the Worker embeds first and sends vectors: two
 * sequential round trips per query, and the index must be a DENSE one of the same dimension.
 */
import type { Index } from '@upstash/vector/cloudflare';
import type { MemoryRecord } from '../memory/model';
import type { MemoryIndex, VectorMatch } from '../ports';
import { guard } from './guard';

type Embed = (texts: string[]) => Promise<number[][]>;
type Meta = Omit<MemoryRecord, 'id' | 'text'>;

const toRecord = (id: string | number, data: string | undefined, meta: Meta | undefined): MemoryRecord => ({
  ...(meta as Meta),
  id: String(id),
  text: data ?? '',
});

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
        const vectors = await this.embed(records.map((r) => r.text));
        await this.index.upsert(records.map((r, i) => ({ id: r.id, vector: vectors[i] ?? [], data: r.text, metadata: toMeta(r) })), { namespace });
      } else {
        await this.index.upsert(records.map((r) => ({ id: r.id, data: r.text, metadata: toMeta(r) })), { namespace });
      }
    });
  }

  query(namespace: string, q: { text: string; topK: number; filter: string }): Promise<VectorMatch[]> {
    return guard('vector', async () => {
      const base = { topK: q.topK, filter: q.filter, includeMetadata: true, includeData: true } as const;
      const hits = this.embed
        ? await this.index.query<Meta>({ ...base, vector: (await this.embed([q.text]))[0] ?? [] }, { namespace })
        : await this.index.query<Meta>({ ...base, data: q.text }, { namespace });
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
      const res = await this.index.range<Meta>({ cursor, limit, includeMetadata: true, includeData: true }, { namespace });
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
