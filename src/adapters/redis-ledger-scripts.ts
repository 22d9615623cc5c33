/**
 * The ledger's Lua scripts: the steps that jobs may repeat (QStash delivers at least once, and a
 * delivery cut off mid-way is run again) and must therefore not write a history row twice. Each runs
 * atomically, so two deliveries running at once cannot both append. JSON is read and written with
 * the `cjson` library Redis bundles.
 */

/**
 * Append-once history rows. KEYS: one history list per row. ARGV: (row JSON, event, version) per row.
 * A row is skipped when the list's last row has the same event and version: the job that planned it
 * already wrote it.
 */
export const APPEND_ONCE = `
for i = 1, #KEYS do
  local json, event, version = ARGV[3 * i - 2], ARGV[3 * i - 1], tonumber(ARGV[3 * i])
  local raw = redis.call('LINDEX', KEYS[i], -1)
  local last = raw and cjson.decode(raw)
  if not (last and last.event == event and tonumber(last.version) == version) then
    redis.call('RPUSH', KEYS[i], json)
  end
end
return #KEYS`;

/**
 * Settles a swept expiry batch of one scope.
 * KEYS: scope expiry zset, global expiry-scopes zset, then the history list of each expired id.
 * ARGV: scope member, at (ms), n, the n expired ids, then (id, score or "") pairs to re-file.
 *
 * The EXPIRE row is built from the memory's last row (its version + 1, its text as `previous`), so it
 * needs nothing from Vector: a rerun after the Vector delete finds the record gone and still writes
 * the row if the first run was cut before it. No row when the history is empty (nothing to close) or
 * already ends in EXPIRE or DELETE.
 */
export const SETTLE_EXPIRED = `
local n = tonumber(ARGV[3])
for i = 1, n do
  local id, hist = ARGV[3 + i], KEYS[2 + i]
  local raw = redis.call('LINDEX', hist, -1)
  local last = raw and cjson.decode(raw)
  if last and last.event ~= 'EXPIRE' and last.event ~= 'DELETE' then
    -- Numbers go in as text: ARGV[2] is already decimal ms; the version is a small integer.
    local row = '{"memory_id":' .. cjson.encode(id) .. ',"event":"EXPIRE","at":' .. ARGV[2] ..
      ',"version":' .. tostring(math.floor((tonumber(last.version) or 0) + 1)) ..
      ',"memory":null,"previous":' .. (last.memory and cjson.encode(last.memory) or 'null') .. ',"cause":"expiry"}'
    redis.call('RPUSH', hist, row)
  end
  redis.call('ZREM', KEYS[1], id)
end
for i = 4 + n, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('ZREM', KEYS[1], ARGV[i])
  else
    redis.call('ZADD', KEYS[1], 'XX', ARGV[i + 1], ARGV[i])
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[2] then
  redis.call('ZADD', KEYS[2], first[2], ARGV[1])
else
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return n`;

/** Unfiles a compacted scope unless touched since. KEYS: compact-scopes zset. ARGV: member, mark (ms). */
export const CLEAR_TOUCHED = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0`;
