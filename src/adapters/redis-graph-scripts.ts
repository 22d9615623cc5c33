/**
 * The knowledge graph's Lua scripts. The graph lives in four key families of a primary scope
 * (keys.ts): `ent` (entity key → Entity JSON), `alias` (normalised name → entity key, "" when
 * ambiguous), `edge` (memory id → Edge JSON: the fact's record plus `keys`, the entities it links) and
 * `efacts:{entity key}` (the set of memory ids linked to an entity). Each script runs atomically, in
 * one round trip whatever the graph's size; JSON is read with the `cjson` library Redis bundles and
 * written back as the stored text, never re-encoded.
 */

/**
 * Writes or removes edges. KEYS[1]: edge hash. ARGV[1]: efacts key prefix, then (id, edge JSON or "")
 * pairs; "" removes. The old edge's links are dropped before the new one's are added, so a fact whose
 * entities changed moves; a rerun of the same writes changes nothing.
 */
export const EDGE_SYNC = `
local prefix = ARGV[1]
for i = 2, #ARGV, 2 do
  local id, json = ARGV[i], ARGV[i + 1]
  local old = redis.call('HGET', KEYS[1], id)
  if old then
    for _, k in ipairs(cjson.decode(old).keys or {}) do redis.call('SREM', prefix .. k, id) end
  end
  if json == '' then
    redis.call('HDEL', KEYS[1], id)
  else
    redis.call('HSET', KEYS[1], id, json)
    for _, k in ipairs(cjson.decode(json).keys or {}) do redis.call('SADD', prefix .. k, id) end
  end
end
return 1`;

/**
 * Entities by name (an entity's own key, else the alias index), each with its edges at a time. KEYS: ent hash, alias hash, edge hash.
 * ARGV: efacts prefix, at (ms), history ("1"/"0"), depth (0: no neighbours, 1, 2), limit (edges per
 * list), max entities, then candidate names (normalised). Returns a JSON array of views:
 *   {entity, total, facts: [edge…], history?: [edge…], neighbours?: [{entity, shared, view?}]}
 * `facts` are the edges current at `at` (valid_at ≤ at < invalid_at, not expired), newest first;
 * `history` the ones that had ended by then, oldest first; neighbours are the entities sharing the
 * most current edges (depth 2 adds each of the first five's own current edges).
 */
export const GRAPH_READ = `
local prefix, at, history, depth = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1', tonumber(ARGV[4])
local limit, maxEntities = tonumber(ARGV[5]), tonumber(ARGV[6])

local function current(e)
  return e.valid_at <= at and (e.invalid_at == nil or e.invalid_at > at) and (e.expires_at == nil or e.expires_at > at)
end

local function edgesOf(key)
  local ids = redis.call('SMEMBERS', prefix .. key)
  local cur, past = {}, {}
  for i = 1, #ids, 200 do
    local chunk = {}
    for j = i, math.min(i + 199, #ids) do chunk[#chunk + 1] = ids[j] end
    local raws = redis.call('HMGET', KEYS[3], unpack(chunk))
    for j = 1, #chunk do
      local raw = raws[j]
      if raw then
        local e = cjson.decode(raw)
        if current(e) then cur[#cur + 1] = { raw = raw, e = e }
        elseif e.valid_at <= at then past[#past + 1] = { raw = raw, e = e } end
      end
    end
  end
  table.sort(cur, function(a, b)
    if a.e.valid_at ~= b.e.valid_at then return a.e.valid_at > b.e.valid_at end
    return a.e.id < b.e.id
  end)
  table.sort(past, function(a, b)
    if a.e.valid_at ~= b.e.valid_at then return a.e.valid_at < b.e.valid_at end
    return a.e.id < b.e.id
  end)
  return cur, past
end

local function raws(items, from, to)
  local out = {}
  for i = math.max(1, from), math.min(#items, to) do out[#out + 1] = items[i].raw end
  return '[' .. table.concat(out, ',') .. ']'
end

local function view(key, ent, nested)
  local cur, past = edgesOf(key)
  local parts = { '{"entity":', ent, ',"total":', tostring(#cur), ',"facts":', raws(cur, 1, limit) }
  if history and not nested then
    parts[#parts + 1] = ',"history":' .. raws(past, #past - limit + 1, #past)
  end
  if depth >= 1 and not nested then
    local counts, order = {}, {}
    for _, item in ipairs(cur) do
      for _, k in ipairs(item.e.keys or {}) do
        if k ~= key then
          if not counts[k] then counts[k] = 0; order[#order + 1] = k end
          counts[k] = counts[k] + 1
        end
      end
    end
    table.sort(order, function(a, b)
      if counts[a] ~= counts[b] then return counts[a] > counts[b] end
      return a < b
    end)
    local nb = {}
    for i = 1, math.min(20, #order) do
      local k = order[i]
      local nent = redis.call('HGET', KEYS[1], k)
      if nent then
        local s = '{"entity":' .. nent .. ',"shared":' .. counts[k]
        if depth >= 2 and i <= 5 then s = s .. ',"view":' .. view(k, nent, true) end
        nb[#nb + 1] = s .. '}'
      end
    end
    parts[#parts + 1] = ',"neighbours":[' .. table.concat(nb, ',') .. ']'
  end
  return table.concat(parts) .. '}'
end

local out, seen = {}, {}
if #ARGV >= 7 then
  local names = {}
  for i = 7, #ARGV do names[#names + 1] = ARGV[i] end
  -- An entity's own name first (it wins over an ambiguous alias of the same text), then the alias index.
  local direct = redis.call('HMGET', KEYS[1], unpack(names))
  local found = redis.call('HMGET', KEYS[2], unpack(names))
  for i = 1, #names do
    local k = (direct[i] and names[i]) or found[i]
    if k and k ~= '' and not seen[k] and #out < maxEntities then
      seen[k] = true
      local ent = direct[i] or redis.call('HGET', KEYS[1], k)
      if ent then out[#out + 1] = view(k, ent, false) end
    end
  end
end
return '[' .. table.concat(out, ',') .. ']'`;

/**
 * One page of a scope's entities with how many facts link to each (current and past).
 * KEYS[1]: ent hash. ARGV: efacts prefix, cursor, count. Returns {"cursor", "items": [{entity, facts}]}.
 */
export const ENTITY_PAGE = `
local res = redis.call('HSCAN', KEYS[1], ARGV[2], 'COUNT', tonumber(ARGV[3]))
local flat, items = res[2], {}
for i = 1, #flat, 2 do
  items[#items + 1] = '{"entity":' .. flat[i + 1] .. ',"facts":' .. redis.call('SCARD', ARGV[1] .. flat[i]) .. '}'
end
return '{"cursor":"' .. res[1] .. '","items":[' .. table.concat(items, ',') .. ']}'`;
