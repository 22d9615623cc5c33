/**
 * `engram.blocks`: core memory blocks. Each call names its holder, exactly one of `{user_id}` (the
 * owner) or `{agent_id}` (the owner, or an agent the block is attached to); `list` takes either or both.
 */
import { seg, type Transport } from './http';
import type { Block, BlockHistory, BlockHolder, BlockList, BlockListRequest, BlockRemoved, PutBlockRequest } from './types';

export class Blocks {
  constructor(private readonly t: Transport) {}

  list(request: BlockListRequest): Promise<BlockList> {
    return this.t.request('GET', '/v1/blocks', { query: request });
  }

  get(label: string, holder: BlockHolder): Promise<Block> {
    return this.t.request('GET', `/v1/blocks/${seg(label)}`, { query: holder });
  }

  /** Creates the block, owned by the holder, or updates it; left-out fields keep their values. */
  put(label: string, holder: BlockHolder, change: PutBlockRequest): Promise<Block> {
    return this.t.request('PUT', `/v1/blocks/${seg(label)}`, { query: holder, body: change });
  }

  append(label: string, holder: BlockHolder, text: string): Promise<Block> {
    return this.t.request('POST', `/v1/blocks/${seg(label)}/append`, { query: holder, body: { text } });
  }

  /** Replaces the one occurrence of `old` (none or several: CONFLICT). */
  replace(label: string, holder: BlockHolder, old: string, replacement: string): Promise<Block> {
    return this.t.request('POST', `/v1/blocks/${seg(label)}/replace`, { query: holder, body: { old, new: replacement } });
  }

  /** Through the owner: deletes the block for everyone; through an attached agent: detaches that agent. */
  delete(label: string, holder: BlockHolder): Promise<BlockRemoved> {
    return this.t.request('DELETE', `/v1/blocks/${seg(label)}`, { query: holder });
  }

  attach(label: string, holder: BlockHolder, agentId: string): Promise<Block> {
    return this.t.request('POST', `/v1/blocks/${seg(label)}/attach`, { query: holder, body: { agent_id: agentId } });
  }

  detach(label: string, holder: BlockHolder, agentId: string): Promise<Block> {
    return this.t.request('POST', `/v1/blocks/${seg(label)}/detach`, { query: holder, body: { agent_id: agentId } });
  }

  history(label: string, holder: BlockHolder): Promise<BlockHistory> {
    return this.t.request('GET', `/v1/blocks/${seg(label)}/history`, { query: holder });
  }
}
