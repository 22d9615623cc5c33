/**
 * A small `cjson` (encode/decode) for scripts, as Redis bundles lua-cjson. JSON objects become
 * tables with string keys, arrays become sequences; JSON null decodes to nil (real cjson returns a
 * `cjson.null` sentinel, which this local server does not model).
 */
import type { LuaState } from 'fengari';
import { fengari } from './lua-runtime.js';
import { toBytes } from './lua-convert.js';

const { lua, to_luastring } = fengari;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function toJson(L: LuaState, index: number, depth: number): Json {
  if (depth > 100) throw new Error('Cannot serialise, excessive nesting (101)');
  const idx = lua.lua_absindex(L, index);
  const t = lua.lua_type(L, idx);
  if (t === lua.LUA_TSTRING) return toBytes(L, idx).toString('utf8');
  if (t === lua.LUA_TNUMBER) return lua.lua_tonumber(L, idx);
  if (t === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, idx);
  if (t !== lua.LUA_TTABLE) return null;
  const len = lua.lua_rawlen(L, idx);
  const entries: [string, Json][] = [];
  lua.lua_checkstack(L, 4);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx) !== 0) {
    // Read the key without lua_tolstring on it: that would turn a number key into a string in place.
    const key = lua.lua_type(L, -2) === lua.LUA_TNUMBER ? String(lua.lua_tonumber(L, -2)) : toBytes(L, -2).toString('utf8');
    entries.push([key, toJson(L, -1, depth + 1)]);
    lua.lua_pop(L, 1);
  }
  if (len > 0 && entries.length === len) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

function pushJson(L: LuaState, v: Json): void {
  lua.lua_checkstack(L, 4);
  if (v === null) lua.lua_pushnil(L);
  else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
  else if (typeof v === 'number') lua.lua_pushnumber(L, v);
  else if (typeof v === 'string') lua.lua_pushstring(L, Buffer.from(v, 'utf8'));
  else if (Array.isArray(v)) {
    lua.lua_createtable(L, v.length, 0);
    v.forEach((item, i) => {
      pushJson(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else {
    lua.lua_createtable(L, 0, Object.keys(v).length);
    for (const [k, item] of Object.entries(v)) {
      pushJson(L, item);
      lua.lua_setfield(L, -2, Buffer.from(k, 'utf8'));
    }
  }
}

function raise(L: LuaState, message: string): never {
  lua.lua_pushstring(L, to_luastring(message));
  return lua.lua_error(L);
}

/** Installs the global `cjson` table. */
export function installCjson(L: LuaState): void {
  lua.lua_createtable(L, 0, 2);
  lua.lua_pushjsfunction(L, (S) => {
    let text: string;
    try {
      text = JSON.stringify(toJson(S, 1, 0));
    } catch (e) {
      return raise(S, e instanceof Error ? e.message : String(e));
    }
    lua.lua_pushstring(S, Buffer.from(text, 'utf8'));
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring('encode'));
  lua.lua_pushjsfunction(L, (S) => {
    let value: Json;
    try {
      value = JSON.parse(toBytes(S, 1).toString('utf8')) as Json;
    } catch (e) {
      return raise(S, `Expected value but found invalid token: ${e instanceof Error ? e.message : String(e)}`);
    }
    pushJson(S, value);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring('decode'));
  lua.lua_setglobal(L, to_luastring('cjson'));
}
