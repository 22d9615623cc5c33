/**
 * Conversions between Lua values and RESP2 replies, following Redis's scripting rules
 * (UPSTASH_PROTOCOLS.md §1.10):
 *   Lua → reply: string → bulk; number → integer (truncated); true → 1; false/nil → nil;
 *                table with `err` → error, with `ok` → status, otherwise an array of t[1..n]
 *                (stopping at the first nil, as Redis does).
 *   reply → Lua: integer → number; bulk → string; nil → false; status → {ok=...};
 *                error → {err=...}; array → table.
 * Numbers are pushed as Lua floats on purpose: Redis runs Lua 5.1 (doubles only) while fengari's
 * integers are 32-bit and would wrap on timestamps in milliseconds.
 */
import type { LuaState } from 'fengari';
import type { Reply } from './reply.js';
import { fengari } from './lua-runtime.js';

const { lua, to_luastring } = fengari;
const ERR_FIELD = to_luastring('err');
const OK_FIELD = to_luastring('ok');

export function pushReply(L: LuaState, r: Reply): void {
  lua.lua_checkstack(L, 4);
  switch (r.kind) {
    case 'int':
      return lua.lua_pushnumber(L, r.value);
    case 'bulk':
      return lua.lua_pushstring(L, r.value);
    case 'nil':
      return lua.lua_pushboolean(L, false);
    case 'status':
    case 'error':
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushstring(L, Buffer.from(r.kind === 'status' ? r.value : r.message));
      return lua.lua_setfield(L, -2, r.kind === 'status' ? OK_FIELD : ERR_FIELD);
    case 'array':
      lua.lua_createtable(L, r.items.length, 0);
      r.items.forEach((item, i) => {
        pushReply(L, item);
        lua.lua_rawseti(L, -2, i + 1);
      });
  }
}

/** The bytes of the string at `idx` (copied: fengari may reuse its internal array). */
export function toBytes(L: LuaState, idx: number): Buffer {
  return Buffer.from(lua.lua_tolstring(L, idx) ?? new Uint8Array());
}

/** Reads the string field `name` of the table at `idx`, or undefined if it is not a string. */
function stringField(L: LuaState, idx: number, name: Uint8Array): Buffer | undefined {
  const t = lua.lua_getfield(L, idx, name);
  const value = t === lua.LUA_TSTRING ? toBytes(L, -1) : undefined;
  lua.lua_pop(L, 1);
  return value;
}

export function toReply(L: LuaState, index: number): Reply {
  const idx = lua.lua_absindex(L, index);
  switch (lua.lua_type(L, idx)) {
    case lua.LUA_TSTRING:
      return { kind: 'bulk', value: toBytes(L, idx) };
    case lua.LUA_TNUMBER:
      return { kind: 'int', value: Math.trunc(lua.lua_tonumber(L, idx)) };
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx) ? { kind: 'int', value: 1 } : { kind: 'nil' };
    case lua.LUA_TTABLE:
      return tableToReply(L, idx);
    default:
      return { kind: 'nil' };
  }
}

function tableToReply(L: LuaState, idx: number): Reply {
  const err = stringField(L, idx, ERR_FIELD);
  if (err !== undefined) return { kind: 'error', message: err.toString('utf8') };
  const ok = stringField(L, idx, OK_FIELD);
  if (ok !== undefined) return { kind: 'status', value: ok.toString('utf8') };
  const items: Reply[] = [];
  lua.lua_checkstack(L, 4);
  for (let i = 1; ; i++) {
    const t = lua.lua_rawgeti(L, idx, i);
    if (t === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      break;
    }
    items.push(toReply(L, -1));
    lua.lua_pop(L, 1);
  }
  return { kind: 'array', items };
}
