/**
 * The Lua scripts behind RedisBlocks. Each runs as one EVAL, so a block's checks (limit, read-only,
 * exact match, label taken) and its writes (body, attachment hashes, history row) are atomic: two
 * concurrent appends both land, and neither can push the value past the limit.
 *
 * Layout (keys.ts): each holder has a hash `label → body key`; a body is JSON (StoredBlock in
 * redis-blocks.ts) and records its owner, `attached` (agent id → that agent's hash key) and its
 * history list key. The scripts follow these stored keys, so they touch keys not passed in KEYS:
 * fine on Upstash and on a single Redis, not on a Redis Cluster.
 *
 * A hash entry is valid only if its body exists and lists the holder as owner or as attached agent.
 * Anything else is dangling (the owner deleted or erased the block) and is removed when met.
 * Sizes are code points: the UTF-8 bytes that do not continue a character.
 *
 * Common arguments of the write scripts: KEYS[1] = the holder's hash; ARGV[1..5] = label, holder's
 * user id or '', holder's agent id or '', the holder as JSON (history `by`), now (epoch ms).
 * Each returns one JSON object: {ok = true, block, changed, created?} or {ok = false, reason, …}.
 */
import { BLOCK_HISTORY_MAX } from '../memory/block-model';

const COMMON = `
local function chars(s)
  local _, n = string.gsub(s, '[^\\128-\\191]', '')
  return n
end
local function owns(b, uid, aid)
  return (uid ~= '' and b.owner.user_id == uid) or (aid ~= '' and b.owner.agent_id == aid)
end
local function valid(b, hk, uid, aid)
  return owns(b, uid, aid) or (aid ~= '' and b.attached[aid] == hk)
end
local function resolve(hk, label, uid, aid)
  local bk = redis.call('HGET', hk, label)
  if not bk then return nil end
  local raw = redis.call('GET', bk)
  if raw then
    local b = cjson.decode(raw)
    if valid(b, hk, uid, aid) then return bk, b end
  end
  redis.call('HDEL', hk, label)
  return nil
end
`;

const WRITE = `${COMMON}
local label, uid, aid, by, now = ARGV[1], ARGV[2], ARGV[3], cjson.decode(ARGV[4]), tonumber(ARGV[5])
local function save(bk, b) redis.call('SET', bk, cjson.encode(b)) end
local function log(b, event, value, previous, agent)
  redis.call('RPUSH', b.history_key, cjson.encode({ label = label, event = event, at = now, version = b.version,
    by = by, value = value, previous = previous, agent_id = agent }))
  redis.call('LTRIM', b.history_key, -${BLOCK_HISTORY_MAX}, -1)
end
local function done(b, changed, created) return cjson.encode({ ok = true, block = b, changed = changed, created = created }) end
local function refuse(reason, extra)
  local r = extra or {}
  r.ok, r.reason = false, reason
  return cjson.encode(r)
end
local function fits(b)
  local size = chars(b.value)
  if size > b.limit then return false, refuse('over_limit', { size = size, limit = b.limit }) end
  return true
end
local bk, b = resolve(KEYS[1], label, uid, aid)
`;

/** KEYS[2] = the holder's own body key. ARGV[6] = the new body (if created), [7] = the change, [8] = blocks per holder. */
export const PUT = `${WRITE}
local change = cjson.decode(ARGV[7])
if not bk then
  local max = tonumber(ARGV[8])
  if redis.call('HLEN', KEYS[1]) >= max then return refuse('holder_full', { max = max }) end
  b = cjson.decode(ARGV[6])
  local ok, err = fits(b)
  if not ok then return err end
  save(KEYS[2], b)
  redis.call('HSET', KEYS[1], label, KEYS[2])
  log(b, 'CREATE', b.value, nil)
  return done(b, true, true)
end
local previous, locked, content = b.value, b.read_only == true, false
for _, f in ipairs({ 'value', 'limit', 'description' }) do
  if change[f] ~= nil and change[f] ~= b[f] then b[f], content = change[f], true end
end
if change.clear_description and b.description ~= nil then b.description, content = nil, true end
local flag = change.read_only ~= nil and change.read_only ~= locked
if locked and content and change.read_only ~= false then return refuse('read_only') end
if not content and not flag then return done(b, false) end
if flag then b.read_only = change.read_only end
local ok, err = fits(b)
if not ok then return err end
b.version, b.updated_at = b.version + 1, now
save(bk, b)
log(b, 'UPDATE', b.value, previous)
return done(b, true)
`;

/** ARGV[6] = the text; it follows a newline unless the value is empty. */
export const APPEND = `${WRITE}
if not bk then return refuse('not_found') end
if b.read_only == true then return refuse('read_only') end
local previous = b.value
if previous == '' then b.value = ARGV[6] else b.value = previous .. '\\n' .. ARGV[6] end
local ok, err = fits(b)
if not ok then return err end
b.version, b.updated_at = b.version + 1, now
save(bk, b)
log(b, 'APPEND', b.value, previous)
return done(b, true)
`;

/** ARGV[6] = old (non-empty), [7] = new. Occurrences are counted without overlap. */
export const REPLACE = `${WRITE}
if not bk then return refuse('not_found') end
if b.read_only == true then return refuse('read_only') end
local previous, old = b.value, ARGV[6]
local matches, first, from = 0, nil, 1
while true do
  local s, e = string.find(previous, old, from, true)
  if not s then break end
  matches, from = matches + 1, e + 1
  if not first then first = s end
end
if matches == 0 then return refuse('no_match') end
if matches > 1 then return refuse('ambiguous', { matches = matches }) end
b.value = string.sub(previous, 1, first - 1) .. ARGV[7] .. string.sub(previous, first + #old)
local ok, err = fits(b)
if not ok then return err end
b.version, b.updated_at = b.version + 1, now
save(bk, b)
log(b, 'REPLACE', b.value, previous)
return done(b, true)
`;

/** The owner deletes the body and every attachment; an attached agent detaches only itself. */
export const REMOVE = `${WRITE}
if not bk then return refuse('not_found') end
if not owns(b, uid, aid) then
  b.attached[aid] = nil
  save(bk, b)
  redis.call('HDEL', KEYS[1], label)
  log(b, 'DETACH', nil, nil, aid)
  return cjson.encode({ ok = true, deleted = false })
end
if b.read_only == true then return refuse('read_only') end
for _, hk in pairs(b.attached) do
  if redis.call('HGET', hk, label) == bk then redis.call('HDEL', hk, label) end
end
redis.call('DEL', bk)
redis.call('HDEL', KEYS[1], label)
b.version = b.version + 1
log(b, 'DELETE', nil, b.value)
return cjson.encode({ ok = true, deleted = true })
`;

/** KEYS[2] = the target agent's hash. ARGV[6] = its id, [7] = blocks per holder, [8] = agents per block. */
export const ATTACH = `${WRITE}
if not bk then return refuse('not_found') end
local target = ARGV[6]
local current = resolve(KEYS[2], label, '', target)
if current == bk then return done(b, false) end
if current then return refuse('label_taken') end
local n, maxShared, maxHeld = 0, tonumber(ARGV[8]), tonumber(ARGV[7])
for _ in pairs(b.attached) do n = n + 1 end
if n >= maxShared then return refuse('shared_full', { max = maxShared }) end
if redis.call('HLEN', KEYS[2]) >= maxHeld then return refuse('holder_full', { max = maxHeld }) end
b.attached[target] = KEYS[2]
save(bk, b)
redis.call('HSET', KEYS[2], label, bk)
log(b, 'ATTACH', nil, nil, target)
return done(b, true)
`;

/** KEYS[2] = the target agent's hash. ARGV[6] = its id. */
export const DETACH = `${WRITE}
if not bk then return refuse('not_found') end
local target = ARGV[6]
if b.owner.agent_id == target then return refuse('is_owner') end
if b.attached[target] == nil then return refuse('not_attached') end
b.attached[target] = nil
save(bk, b)
if redis.call('HGET', KEYS[2], label) == bk then redis.call('HDEL', KEYS[2], label) end
log(b, 'DETACH', nil, nil, target)
return done(b, true)
`;

/** KEYS[1] = the holder's hash; ARGV = label, uid, aid. Attachments whose agent lost the entry are pruned. */
export const GET = `${COMMON}
local bk, b = resolve(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
if not bk then return cjson.encode({ ok = false, reason = 'not_found' }) end
local stale = false
for agent, hk in pairs(b.attached) do
  if redis.call('HGET', hk, ARGV[1]) ~= bk then b.attached[agent], stale = nil, true end
end
if stale then redis.call('SET', bk, cjson.encode(b)) end
return cjson.encode({ ok = true, block = b, changed = false })
`;

/** KEYS[1] = the holder's hash, KEYS[2] = its own history key of the label; ARGV = label, uid, aid. */
export const HISTORY = `${COMMON}
local bk, b = resolve(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
return redis.call('LRANGE', bk and b.history_key or KEYS[2], 0, -1)
`;

/**
 * The hot-path read. KEYS = up to two holders' hashes; ARGV = uid, aid of each. Returns the raw body
 * JSON of every valid entry, holder by holder, labels sorted, each body once.
 */
export const LIST = `${COMMON}
local out, seen = {}, {}
for k = 1, #KEYS do
  local hk, uid, aid = KEYS[k], ARGV[2 * k - 1], ARGV[2 * k]
  local flat = redis.call('HGETALL', hk)
  local labels, target = {}, {}
  for i = 1, #flat, 2 do
    labels[#labels + 1] = flat[i]
    target[flat[i]] = flat[i + 1]
  end
  table.sort(labels)
  for _, label in ipairs(labels) do
    local bk = target[label]
    local raw = redis.call('GET', bk)
    if not (raw and valid(cjson.decode(raw), hk, uid, aid)) then
      redis.call('HDEL', hk, label)
    elseif not seen[bk] then
      seen[bk] = true
      out[#out + 1] = raw
    end
  end
end
return out
`;
