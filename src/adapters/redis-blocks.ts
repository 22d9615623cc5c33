/**
 * BlockStore on Upstash Redis: every method is one EVAL (scripts in redis-blocks-lua.ts), so each is
 * one round trip and each write is atomic. `list` is on the context hot path: one EVAL reads both
 * holders' hashes and all their bodies (the SDK's auto-pipelining may batch it with the buffer read).
 */
import type { Redis } from '@upstash/redis/cloudflare';
import {
  type Block,
  BLOCK_LIMIT_DEFAULT,
  type BlockChange,
  type BlockHistoryRow,
  type BlockOwner,
  type BlockRefusal,
  type BlockRemoval,
  type BlockWrite,
  MAX_ATTACHED_AGENTS,
  MAX_BLOCKS_PER_HOLDER,
} from '../memory/block-model';
import { keys } from '../memory/keys';
import type { BlockStore } from '../ports';
import { guard } from './guard';
import { APPEND, ATTACH, DETACH, GET, HISTORY, LIST, PUT, REMOVE, REPLACE } from './redis-blocks-lua';

/** A block as stored at its body key. Internal: the API never sees the keys. */
export interface StoredBlock {
  label: string;
  value: string;
  limit: number;
  description?: string;
  read_only?: boolean;
  owner: BlockOwner;
  /** Agent id → that agent's blocks hash key. Empty is `{}` (Lua's cjson has no empty array). */
  attached: Record<string, string>;
  created_at: number;
  updated_at: number;
  version: number;
  history_key: string;
}

type ScriptReply = { ok: true; block?: StoredBlock; changed?: boolean; created?: boolean; deleted?: boolean } | ({ ok: false } & BlockRefusal);

const ownerOf = (o: BlockOwner): BlockOwner => (o.user_id !== undefined ? { user_id: String(o.user_id) } : { agent_id: String(o.agent_id) });

export function toBlock(s: StoredBlock): Block {
  return {
    label: String(s.label),
    value: String(s.value),
    limit: Number(s.limit),
    ...(s.description !== undefined && s.description !== null && { description: String(s.description) }),
    read_only: s.read_only === true,
    owner: ownerOf(s.owner),
    attached: Object.keys(s.attached ?? {}).sort(),
    created_at: Number(s.created_at),
    updated_at: Number(s.updated_at),
    version: Number(s.version),
  };
}

function toWrite(r: ScriptReply): BlockWrite {
  if (!r.ok) return r;
  if (!r.block) throw new Error('block script answered ok without a block');
  return { ok: true, block: toBlock(r.block), changed: r.changed === true, ...(r.created === true && { created: true }) };
}

/** The holder's ids as the scripts take them: user id, agent id ('' for the one not set). */
const ids = (h: BlockOwner): [string, string] => (h.user_id ? [h.user_id, ''] : ['', h.agent_id ?? '']);

export class RedisBlocks implements BlockStore {
  constructor(private readonly redis: Redis) {}

  private run(script: string, k: string[], args: Array<string | number>): Promise<ScriptReply> {
    return guard('redis', async () => (await this.redis.eval(script, k, args.map(String))) as ScriptReply);
  }

  /** The five leading arguments of every write script. */
  private head(holder: BlockOwner, label: string, now: number): string[] {
    return [label, ...ids(holder), JSON.stringify(holder), String(now)];
  }

  list(tenant: string, owners: BlockOwner[]) {
    if (owners.length === 0) return Promise.resolve([]);
    const args = owners.flatMap(ids);
    return guard('redis', async () => {
      const raw = (await this.redis.eval(LIST, owners.map((o) => keys.blocks(tenant, o)), args)) as StoredBlock[];
      return raw.map(toBlock);
    });
  }

  async get(tenant: string, holder: BlockOwner, label: string) {
    const r = await this.run(GET, [keys.blocks(tenant, holder)], [label, ...ids(holder)]);
    return r.ok && r.block ? toBlock(r.block) : null;
  }

  async put(tenant: string, holder: BlockOwner, label: string, change: BlockChange, now: number) {
    const created: StoredBlock = {
      label,
      value: change.value ?? '',
      limit: change.limit ?? BLOCK_LIMIT_DEFAULT,
      ...(change.description !== undefined && !change.clear_description && { description: change.description }),
      ...(change.read_only !== undefined && { read_only: change.read_only }),
      owner: holder,
      attached: {},
      created_at: now,
      updated_at: now,
      version: 1,
      history_key: keys.blockHistory(tenant, holder, label),
    };
    const k = [keys.blocks(tenant, holder), keys.blockBody(tenant, holder, label)];
    return toWrite(await this.run(PUT, k, [...this.head(holder, label, now), JSON.stringify(created), JSON.stringify(change), MAX_BLOCKS_PER_HOLDER]));
  }

  async append(tenant: string, holder: BlockOwner, label: string, text: string, now: number) {
    return toWrite(await this.run(APPEND, [keys.blocks(tenant, holder)], [...this.head(holder, label, now), text]));
  }

  async replace(tenant: string, holder: BlockOwner, label: string, old: string, next: string, now: number) {
    return toWrite(await this.run(REPLACE, [keys.blocks(tenant, holder)], [...this.head(holder, label, now), old, next]));
  }

  async remove(tenant: string, holder: BlockOwner, label: string, now: number): Promise<BlockRemoval> {
    const r = await this.run(REMOVE, [keys.blocks(tenant, holder)], this.head(holder, label, now));
    return r.ok ? { ok: true, deleted: r.deleted === true } : r;
  }

  async attach(tenant: string, holder: BlockOwner, label: string, agentId: string, now: number) {
    const k = [keys.blocks(tenant, holder), keys.blocks(tenant, { agent_id: agentId })];
    return toWrite(await this.run(ATTACH, k, [...this.head(holder, label, now), agentId, MAX_BLOCKS_PER_HOLDER, MAX_ATTACHED_AGENTS]));
  }

  async detach(tenant: string, holder: BlockOwner, label: string, agentId: string, now: number) {
    const k = [keys.blocks(tenant, holder), keys.blocks(tenant, { agent_id: agentId })];
    return toWrite(await this.run(DETACH, k, [...this.head(holder, label, now), agentId]));
  }

  history(tenant: string, holder: BlockOwner, label: string) {
    const k = [keys.blocks(tenant, holder), keys.blockHistory(tenant, holder, label)];
    return guard('redis', async () => {
      const rows = (await this.redis.eval(HISTORY, k, [label, ...ids(holder)])) as BlockHistoryRow[];
      return rows.map((r) => ({
        label: String(r.label),
        event: r.event,
        at: Number(r.at),
        version: Number(r.version),
        value: r.value === undefined || r.value === null ? null : String(r.value),
        previous: r.previous === undefined || r.previous === null ? null : String(r.previous),
        by: ownerOf(r.by),
        ...(r.agent_id !== undefined && { agent_id: String(r.agent_id) }),
      }));
    });
  }
}
