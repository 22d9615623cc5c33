/**
 * Loads fengari with Lua 5.1-style number printing.
 *
 * Redis scripts are Lua 5.1, where 10/2 prints "5"; fengari is Lua 5.3, where it prints "5.0" unless
 * LUA_COMPAT_FLOATSTRING is set. fengari reads that setting from FENGARICONF once, when it is first
 * loaded, so it is set here and fengari is loaded with require() after it (a static import would be
 * evaluated before this module's body).
 */
import { createRequire } from 'node:module';

process.env.FENGARICONF ??= JSON.stringify({ LUA_COMPAT_FLOATSTRING: true });
const require = createRequire(import.meta.url);

export const fengari = require('fengari') as typeof import('fengari');
