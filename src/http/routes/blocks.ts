/**
 * /v1/blocks — core memory blocks: named texts `{label, value, limit, description?, read_only?}` that
 * the context call puts in every prompt.
 *
 * Addressing. Every route names a holder with exactly one query parameter, `?user_id=` or
 * `?agent_id=`: the block's owner (who created it with PUT) or an agent it is attached to. A label is
 * unique per holder. `GET /v1/blocks` takes either or both, and lists the user's blocks, then the
 * agent's, each by label (a block both see is listed once).
 *
 *   GET    /blocks                 ?user_id&agent_id     list
 *   GET    /blocks/:label          ?holder               one block (with `attached`: the agents sharing it)
 *   PUT    /blocks/:label          ?holder  {value?, limit?, description?, read_only?}
 *          creates (201, owned by the holder; value "" and limit 2000 by default) or updates (200); left-out
 *          fields keep their values, `description: null` clears it; a PUT that changes nothing writes nothing
 *   POST   /blocks/:label/append   ?holder  {text}       appends, after a newline unless the value is empty
 *   POST   /blocks/:label/replace  ?holder  {old, new}   replaces the one occurrence of `old`
 *   DELETE /blocks/:label          ?holder
 *   POST   /blocks/:label/attach   ?holder  {agent_id}   shares the block with another agent (idempotent)
 *   POST   /blocks/:label/detach   ?holder  {agent_id}
 *   GET    /blocks/:label/history  ?holder               every change, oldest first (newest 100 kept)
 *
 * Limits. Sizes are characters (Unicode code points). `limit` is 1..20000 (default 2000). A write that
 * would make the value longer than the limit is refused with 400 INVALID_INPUT naming both sizes
 * (`details: {reason: "over_limit", size, limit}`); nothing is truncated, nothing is written.
 *
 * Read-only. A block with `read_only: true` refuses append, replace, DELETE and any PUT changing value,
 * limit or description with 409 CONFLICT (`details.reason: "read_only"`). Only a PUT carrying
 * `read_only: false` lifts it (that same PUT may change the rest). Attach and detach still work.
 *
 * Replace. `old` must occur exactly once (non-overlapping count): none → 409 CONFLICT
 * (`details: {reason: "no_match"}`), several → 409 CONFLICT naming the count (`reason: "ambiguous", matches`).
 *
 * Sharing. Attached agents read and edit the one copy: an edit through any holder is seen by all at
 * once. Attaching to an agent that already has another block under that label → 409 (`label_taken`).
 * DELETE by the owner deletes the block for every holder (its history stays, readable by the owner,
 * ending with a DELETE row). DELETE by an attached agent only detaches that agent. The owner cannot be
 * detached (409 `is_owner`: DELETE instead). Erasing the owner's scope (DELETE /v1/memories?…) erases
 * its blocks and their history, and they disappear for every attached agent too.
 */
import { type Context, Hono } from 'hono';
import { appendToBlock, attachBlock, blockHistory, deleteBlock, detachBlock, getBlock, listBlocks, putBlock, replaceInBlock } from '../../memory/blocks';
import type { BlockChange } from '../../memory/block-model';
import { AppendToBlock, BlockAgent, BlockHolderQuery, BlockLabel, BlockListQuery, PutBlock, ReplaceInBlock } from '../schemas';
import type { AppEnv } from '../types';
import { check, jsonBody, queryParams } from '../validate';

/** The label and the holder every /blocks/:label route starts from. */
function target(c: Context<AppEnv>) {
  const label = check(BlockLabel, c.req.param('label'), 'block label');
  const q = queryParams(c, BlockHolderQuery);
  return { deps: c.get('deps'), tenant: c.get('tenant'), label, holder: q.user_id ? { user_id: q.user_id } : { agent_id: q.agent_id as string } };
}

export const blocks = new Hono<AppEnv>()
  .get('/blocks', async (c) => c.json(await listBlocks(c.get('deps'), c.get('tenant'), queryParams(c, BlockListQuery))))
  .get('/blocks/:label', async (c) => {
    const t = target(c);
    return c.json(await getBlock(t.deps, t.tenant, t.holder, t.label));
  })
  .put('/blocks/:label', async (c) => {
    const t = target(c);
    const body = await jsonBody(c, PutBlock);
    const change: BlockChange = {
      ...(body.value !== undefined && { value: body.value }),
      ...(body.limit !== undefined && { limit: body.limit }),
      ...(typeof body.description === 'string' && { description: body.description }),
      ...(body.description === null && { clear_description: true }),
      ...(body.read_only !== undefined && { read_only: body.read_only }),
    };
    const { status, body: out } = await putBlock(t.deps, t.tenant, t.holder, t.label, change);
    return c.json(out, status);
  })
  .post('/blocks/:label/append', async (c) => {
    const t = target(c);
    const { text } = await jsonBody(c, AppendToBlock);
    return c.json(await appendToBlock(t.deps, t.tenant, t.holder, t.label, text));
  })
  .post('/blocks/:label/replace', async (c) => {
    const t = target(c);
    const body = await jsonBody(c, ReplaceInBlock);
    return c.json(await replaceInBlock(t.deps, t.tenant, t.holder, t.label, body.old, body.new));
  })
  .delete('/blocks/:label', async (c) => {
    const t = target(c);
    return c.json(await deleteBlock(t.deps, t.tenant, t.holder, t.label));
  })
  .post('/blocks/:label/attach', async (c) => {
    const t = target(c);
    const { agent_id } = await jsonBody(c, BlockAgent);
    return c.json(await attachBlock(t.deps, t.tenant, t.holder, t.label, agent_id));
  })
  .post('/blocks/:label/detach', async (c) => {
    const t = target(c);
    const { agent_id } = await jsonBody(c, BlockAgent);
    return c.json(await detachBlock(t.deps, t.tenant, t.holder, t.label, agent_id));
  })
  .get('/blocks/:label/history', async (c) => {
    const t = target(c);
    return c.json(await blockHistory(t.deps, t.tenant, t.holder, t.label));
  });
