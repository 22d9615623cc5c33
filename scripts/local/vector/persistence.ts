/**
 * Snapshots of the whole index in a data directory, so `npm start` keeps memories across restarts.
 *
 * File `vector-index.snapshot`: the bytes "EVS1", a uint32 (little-endian) header length, a JSON header
 * (config, sequence counter, every record without its dense vector), zero padding to a multiple of 4,
 * then the dense rows as float32, in header order. Binary rows keep a 100k × 384 index at ~150 MB
 * instead of ~1 GB of JSON text. Written to a temp file and renamed, so a crash mid-write leaves the
 * previous snapshot intact.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VectorStore } from './store.js';
import type { IndexConfig, Metadata, SparseVector, TermCounts } from './types.js';

const FILE = 'vector-index.snapshot';
const MAGIC = 'EVS1';

interface SnapshotRecord {
  id: string;
  seq: number;
  dense: boolean;
  /** Only for vectors sent as such; a text-derived sparse vector is rebuilt from `terms`. */
  sparse?: SparseVector;
  terms?: TermCounts;
  metadata?: Metadata;
  data?: string;
}

interface SnapshotHeader {
  config: IndexConfig;
  seq: number;
  namespaces: { name: string; records: SnapshotRecord[] }[];
}

function serialize(store: VectorStore): Buffer {
  const header: SnapshotHeader = { config: store.config, seq: 0, namespaces: [] };
  const rows: Float32Array[] = [];
  for (const [name, ns] of store.namespaces) {
    const records: SnapshotRecord[] = [];
    for (const rec of ns.records.values()) {
      const dense = ns.denseValues(rec);
      if (dense) rows.push(dense);
      header.seq = Math.max(header.seq, rec.seq);
      const { id, seq, terms, metadata, data } = rec;
      const sparse = terms ? undefined : rec.sparse;
      records.push({ id, seq, dense: dense !== undefined, sparse, terms, metadata, data });
    }
    header.namespaces.push({ name, records });
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((8 + json.length) % 4)) % 4;
  const out = Buffer.alloc(8 + json.length + pad + rows.length * store.config.dimension * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let offset = 8 + json.length + pad;
  for (const row of rows) {
    Buffer.from(row.buffer, row.byteOffset, row.byteLength).copy(out, offset);
    offset += row.byteLength;
  }
  return out;
}

/** Writes the snapshot atomically: temp file, then rename over the old one. */
export async function saveSnapshot(dir: string, store: VectorStore): Promise<void> {
  await mkdir(dir, { recursive: true });
  const bytes = serialize(store);
  const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, join(dir, FILE));
}

/** Loads the snapshot in `dir` into an empty store; no file is a fresh start, not an error. */
export async function loadSnapshot(dir: string, store: VectorStore): Promise<boolean> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (bytes.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${join(dir, FILE)} is not a vector snapshot`);
  const length = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as SnapshotHeader;
  checkConfig(dir, header.config, store.config);
  const dim = store.config.dimension;
  let offset = 8 + length + ((4 - ((8 + length) % 4)) % 4);
  for (const { name, records } of header.namespaces) {
    const ns = store.ensure(name);
    for (const r of records) {
      let dense: Float32Array | undefined;
      if (r.dense) {
        // Copy out of the file buffer: the row must be 4-byte aligned and must not pin the whole file.
        dense = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + dim * 4));
        offset += dim * 4;
      }
      const { id, sparse, terms, metadata, data } = r;
      ns.put({ id, dense, sparse, terms, metadata, data }, r.seq);
    }
  }
  store.advanceSeq(header.seq);
  return true;
}

function checkConfig(dir: string, saved: IndexConfig, current: IndexConfig): void {
  if (saved.indexType !== current.indexType || (saved.indexType !== 'SPARSE' && saved.dimension !== current.dimension)) {
    throw new Error(
      `The vector snapshot in ${dir} is for a ${saved.indexType} index of dimension ${saved.dimension}, ` +
        `but this server is ${current.indexType} with dimension ${current.dimension}: ` +
        'start it with the same settings, or move the snapshot away.',
    );
  }
}

/** Saves on a timer when the store changed, and once more on close. Writes never overlap. */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | undefined;
  private savedVersion: number;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly store: VectorStore,
    intervalMs: number,
  ) {
    this.savedVersion = store.version;
    this.timer = setInterval(() => void this.flush().catch((e: unknown) => console.error('[vector-rest] snapshot failed:', e)), intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    // A failed write must not block later ones: chain on the settled previous write.
    this.pending = this.pending.catch(() => undefined).then(async () => {
      const version = this.store.version;
      if (version === this.savedVersion) return;
      await saveSnapshot(this.dir, this.store);
      this.savedVersion = version;
    });
    return this.pending;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
