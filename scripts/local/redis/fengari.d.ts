/**
 * The slice of the `fengari` package (a Lua 5.3 VM in pure JS, shipped without types) that the
 * in-memory engine's scripting uses. Lua strings are byte arrays (Uint8Array), which is what lets
 * scripts handle binary values unchanged.
 */
declare module 'fengari' {
  export interface LuaState {
    readonly __luaState: unique symbol;
  }
  export interface LuaDebug {
    currentline: number;
  }
  export type LuaJsFunction = (L: LuaState) => number;
  export type LuaHook = (L: LuaState, ar: LuaDebug) => void;

  export const lua: {
    LUA_OK: number;
    LUA_MULTRET: number;
    LUA_REGISTRYINDEX: number;
    LUA_MASKCOUNT: number;
    LUA_TNIL: number;
    LUA_TBOOLEAN: number;
    LUA_TNUMBER: number;
    LUA_TSTRING: number;
    LUA_TTABLE: number;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, idx: number): void;
    lua_absindex(L: LuaState, idx: number): number;
    lua_checkstack(L: LuaState, n: number): boolean;
    lua_type(L: LuaState, idx: number): number;
    lua_isinteger(L: LuaState, idx: number): boolean;
    lua_tonumber(L: LuaState, idx: number): number;
    lua_tointeger(L: LuaState, idx: number): number;
    lua_toboolean(L: LuaState, idx: number): boolean;
    lua_tolstring(L: LuaState, idx: number): Uint8Array | null;
    lua_rawlen(L: LuaState, idx: number): number;
    lua_rawgeti(L: LuaState, idx: number, n: number): number;
    lua_rawseti(L: LuaState, idx: number, n: number): void;
    lua_getfield(L: LuaState, idx: number, k: Uint8Array): number;
    lua_setfield(L: LuaState, idx: number, k: Uint8Array): void;
    lua_rawset(L: LuaState, idx: number): void;
    lua_next(L: LuaState, idx: number): number;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: Uint8Array): void;
    lua_pushvalue(L: LuaState, idx: number): void;
    lua_pushjsfunction(L: LuaState, f: LuaJsFunction): void;
    lua_pushglobaltable(L: LuaState): void;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_getglobal(L: LuaState, name: Uint8Array): number;
    lua_sethook(L: LuaState, f: LuaHook | null, mask: number, count: number): void;
    lua_pop(L: LuaState, n: number): void;
  };
  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_loadbuffer(L: LuaState, buff: Uint8Array, size: number | null, name: Uint8Array): number;
    luaL_ref(L: LuaState, t: number): number;
    luaL_unref(L: LuaState, t: number, ref: number): void;
    luaL_where(L: LuaState, level: number): void;
    luaL_error(L: LuaState, fmt: Uint8Array): never;
    luaL_tolstring(L: LuaState, idx: number): Uint8Array;
  };
  export const lualib: {
    luaL_openlibs(L: LuaState): void;
  };
  export function to_luastring(s: string): Uint8Array;
  export function to_jsstring(s: Uint8Array): string;
}
