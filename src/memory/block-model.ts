/**
 * Core memory blocks: the types, limits and pure rules shared by the use cases (blocks.ts), the
 * store port and its Redis adapter. No I/O here.
 *
 * Sizes are counted in characters = Unicode code points (an emoji is 1, as in Python's `len`), the
 * same count the Redis scripts make over the stored UTF-8, so a limit means the same on both sides.
 */
import { AppError, invalid, notFound } from '../errors';

/** Who a block belongs to, or through whom it is addressed: exactly one of the two ids is set. */
export interface BlockOwner {
  user_id?: string;
  agent_id?: string;
}

export interface Block {
  label: string;
  value: string;
  /** The most characters `value` may hold. */
  limit: number;
  description?: string;
  read_only?: boolean;
  /** The user or agent that created the block; only the owner's DELETE removes it. */
  owner: BlockOwner;
  /** Agents, other than the owner, that read and edit this same copy; sorted. */
  attached: string[];
  /** Epoch ms. */
  created_at: number;
  /** Epoch ms of the last change to value, limit, description or read_only. */
  updated_at: number;
  /** 1 at creation, +1 per change to value, limit, description or read_only. */
  version: number;
}

export type BlockEvent = 'CREATE' | 'UPDATE' | 'APPEND' | 'REPLACE' | 'DELETE' | 'ATTACH' | 'DETACH';

export interface BlockHistoryRow {
  label: string;
  event: BlockEvent;
  /** Epoch ms. */
  at: number;
  /** The block's version after the change. */
  version: number;
  /** The value after the change (null for DELETE, ATTACH, DETACH). */
  value: string | null;
  /** The value before the change (null for CREATE, ATTACH, DETACH). */
  previous: string | null;
  /** The holder the change was made through. */
  by: BlockOwner;
  /** ATTACH and DETACH: the agent attached or detached. */
  agent_id?: string;
}

/** A PUT: fields left out keep their current value (or take the defaults on creation). */
export interface BlockChange {
  value?: string;
  limit?: number;
  description?: string;
  clear_description?: boolean;
  read_only?: boolean;
}

/** Why the store refused a change; nothing was written. */
export type BlockRefusal =
  | { reason: 'not_found' }
  | { reason: 'read_only' }
  | { reason: 'over_limit'; size: number; limit: number }
  | { reason: 'no_match' }
  | { reason: 'ambiguous'; matches: number }
  | { reason: 'label_taken' }
  | { reason: 'holder_full'; max: number }
  | { reason: 'shared_full'; max: number }
  | { reason: 'is_owner' }
  | { reason: 'not_attached' };

export type BlockWrite = { ok: true; block: Block; created?: boolean; changed: boolean } | ({ ok: false } & BlockRefusal);
/** `deleted`: the owner removed the block; otherwise the holder (an attached agent) was detached. */
export type BlockRemoval = { ok: true; deleted: boolean } | ({ ok: false } & BlockRefusal);

export const BLOCK_LIMIT_DEFAULT = 2000;
export const BLOCK_LIMIT_MAX = 20_000;
export const BLOCK_DESCRIPTION_MAX = 1000;
/** Blocks one holder sees (own + attached): the context call reads them all on every request. */
export const MAX_BLOCKS_PER_HOLDER = 100;
/** Agents one block may be attached to: the list follows the block on every read. */
export const MAX_ATTACHED_AGENTS = 100;
/** History rows kept per block (newest); each row holds the value before and after. */
export const BLOCK_HISTORY_MAX = 100;
export const BLOCK_LABEL = /^[a-z0-9_-]{1,64}$/;

export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The one id of a holder, checked: user_id or agent_id, never both or neither. */
export function holderOf(h: BlockOwner): BlockOwner {
  if (Boolean(h.user_id) === Boolean(h.agent_id)) throw invalid('A block is addressed through exactly one of user_id or agent_id.');
  return h.user_id ? { user_id: h.user_id } : { agent_id: h.agent_id as string };
}

export const holderName = (h: BlockOwner) => (h.user_id ? `user_id ${h.user_id}` : `agent_id ${h.agent_id}`);

/** The error a refusal becomes (the route answers it in the envelope); `details.reason` is machine-readable. */
export function refusalError(label: string, holder: BlockOwner, r: BlockRefusal, target?: string): AppError {
  const block = `Block '${label}'`;
  switch (r.reason) {
    case 'not_found':
      return notFound(`No block '${label}' for ${holderName(holder)}.`);
    case 'read_only':
      return new AppError('CONFLICT', `${block} is read-only; nothing was written. A PUT with "read_only": false lifts it.`, false, { reason: r.reason });
    case 'over_limit':
      return invalid(`${block} would hold ${r.size} characters, over its limit of ${r.limit}; nothing was written.`, { reason: r.reason, size: r.size, limit: r.limit });
    case 'no_match':
      return new AppError('CONFLICT', `${block}: no match for "old"; nothing was replaced.`, false, { reason: r.reason, matches: 0 });
    case 'ambiguous':
      return new AppError('CONFLICT', `${block}: "old" has ${r.matches} matches; give a longer, unique "old". Nothing was replaced.`, false, { reason: r.reason, matches: r.matches });
    case 'label_taken':
      return new AppError('CONFLICT', `Agent ${target} already has another block labelled '${label}'.`, false, { reason: r.reason });
    case 'holder_full':
      return new AppError('CONFLICT', `${target ? `Agent ${target}` : holderName(holder)} already holds ${r.max} blocks, the maximum.`, false, { reason: r.reason, max: r.max });
    case 'shared_full':
      return new AppError('CONFLICT', `${block} is already attached to ${r.max} agents, the maximum.`, false, { reason: r.reason, max: r.max });
    case 'is_owner':
      return new AppError('CONFLICT', `Agent ${target} owns block '${label}' and cannot detach it; DELETE the block instead.`, false, { reason: r.reason });
    case 'not_attached':
      return notFound(`${block} is not attached to agent ${target}.`);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The public shape of a block: times in ISO-8601 UTC. */
export const toApiBlock = (b: Block) => ({
  label: b.label,
  value: b.value,
  limit: b.limit,
  ...(b.description !== undefined && { description: b.description }),
  read_only: b.read_only === true,
  owner: b.owner,
  attached: b.attached,
  created_at: iso(b.created_at),
  updated_at: iso(b.updated_at),
  version: b.version,
});

export const toApiBlockRow = (r: BlockHistoryRow) => ({ ...r, at: iso(r.at) });
