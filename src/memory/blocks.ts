/**
 * Core memory block use cases: named, size-limited texts (persona, human, instructions …) owned by a
 * user or an agent and shareable between agents (one copy, attached to several agents).
 *
 * Every call addresses a block through a holder — its owner, or an agent it is attached to — and the
 * store applies each change in one atomic step (limit, read-only and match checks included), so
 * concurrent edits never lose an update and a refused change writes nothing. The rules are in
 * block-model.ts; the semantics of DELETE and detach are documented in http/routes/blocks.ts.
 */
import type { Deps } from '../deps';
import { invalid, notFound } from '../errors';
import { type Block, type BlockChange, type BlockOwner, type BlockWrite, holderName, holderOf, refusalError, toApiBlock, toApiBlockRow } from './block-model';

export * from './block-model';

type BlockDeps = Pick<Deps, 'blocks' | 'clock'>;

function settle(w: BlockWrite, label: string, holder: BlockOwner, target?: string): Block {
  if (!w.ok) throw refusalError(label, holder, w, target);
  return w.block;
}

/** Every block visible to the given user and/or agent: the user's first, then the agent's, each by label. */
export async function listBlocks(deps: BlockDeps, tenant: string, owners: { user_id?: string; agent_id?: string }) {
  const holders = [...(owners.user_id ? [{ user_id: owners.user_id }] : []), ...(owners.agent_id ? [{ agent_id: owners.agent_id }] : [])];
  if (holders.length === 0) throw invalid('Give user_id, agent_id or both.');
  return { blocks: (await deps.blocks.list(tenant, holders)).map(toApiBlock) };
}

export async function getBlock(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string) {
  const h = holderOf(holder);
  const block = await deps.blocks.get(tenant, h, label);
  if (!block) throw notFound(`No block '${label}' for ${holderName(h)}.`);
  return toApiBlock(block);
}

/** Creates (201) or updates (200) a block; a PUT that changes nothing writes nothing. */
export async function putBlock(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string, change: BlockChange) {
  const h = holderOf(holder);
  const w = await deps.blocks.put(tenant, h, label, change, deps.clock.now());
  const block = settle(w, label, h);
  return { status: w.ok && w.created ? (201 as const) : (200 as const), body: toApiBlock(block) };
}

/** Adds `text` at the end, on a new line when the block is not empty. */
export async function appendToBlock(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string, text: string) {
  const h = holderOf(holder);
  return toApiBlock(settle(await deps.blocks.append(tenant, h, label, text, deps.clock.now()), label, h));
}

/** Replaces the one occurrence of `old` with `next`; none or several occurrences is a conflict. */
export async function replaceInBlock(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string, old: string, next: string) {
  const h = holderOf(holder);
  return toApiBlock(settle(await deps.blocks.replace(tenant, h, label, old, next, deps.clock.now()), label, h));
}

/** The owner's DELETE removes the block for everyone; an attached agent's DELETE only detaches it. */
export async function deleteBlock(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string) {
  const h = holderOf(holder);
  const w = await deps.blocks.remove(tenant, h, label, deps.clock.now());
  if (!w.ok) throw refusalError(label, h, w);
  return w.deleted ? { label, deleted: true } : { label, detached: true, agent_id: h.agent_id };
}

export async function attachBlock(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string, agentId: string) {
  const h = holderOf(holder);
  return toApiBlock(settle(await deps.blocks.attach(tenant, h, label, agentId, deps.clock.now()), label, h, agentId));
}

export async function detachBlock(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string, agentId: string) {
  const h = holderOf(holder);
  return toApiBlock(settle(await deps.blocks.detach(tenant, h, label, agentId, deps.clock.now()), label, h, agentId));
}

/** Oldest first. After the owner deletes a block, its owner still reads the history (ending in DELETE). */
export async function blockHistory(deps: BlockDeps, tenant: string, holder: BlockOwner, label: string) {
  const h = holderOf(holder);
  const rows = await deps.blocks.history(tenant, h, label);
  if (rows.length === 0) throw notFound(`No block '${label}' for ${holderName(h)}.`);
  return { label, history: rows.map(toApiBlockRow) };
}
