/**
 * Lua run once when the VM starts, after the `redis` and `cjson` tables are installed: Lua 5.1
 * compatibility shims, the rest of the `redis` library, and Redis 7's global-variable protection.
 *
 * Why each piece:
 *  - `unpack`, `math.pow`: 5.1 globals that fengari (5.3) lacks and real scripts use.
 *  - `tonumber` returns floats: Redis's Lua has only doubles; fengari's integers are 32-bit, so an
 *    integer from tonumber("1700000000000") arithmetic could otherwise wrap.
 *  - `os`, `io`, `require`, `debug`, ... removed: Redis does not offer them, so a script that relied
 *    on them must fail here as it would on Upstash.
 *  - the metatable on _G: reading an undefined global or assigning any global is an error in Redis 7.
 */
export const PRELUDE = `
unpack = table.unpack
math.pow = function(x, y) return x ^ y end
local rawtonumber = tonumber
tonumber = function(v, base)
  local n = rawtonumber(v, base)
  if math.type(n) == 'integer' then return n + 0.0 end
  return n
end

redis.error_reply = function(e) return { err = e } end
redis.status_reply = function(s) return { ok = s } end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.log = function() end
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.set_repl = function() end
redis.replicate_commands = function() return true end
redis.setresp = function(v)
  if v ~= 2 then error('RESP3 is not supported by the local server', 2) end
end

os, io, package, require, dofile, loadfile, debug, utf8 = nil, nil, nil, nil, nil, nil, nil, nil

setmetatable(_G, {
  __index = function(_, name)
    error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
  end,
  __newindex = function() error('Attempt to modify a readonly table', 2) end,
})
`;
