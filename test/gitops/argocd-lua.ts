// Runs the Argo CD health checks in deploy/argocd/ the way Argo CD does: the Lua body is a chunk,
// the live object is the global table `obj` (converted from its JSON), and the chunk returns
// `{status=…, message=…}`. The interpreter is fengari, a Lua 5.3 VM written in JavaScript; the
// scripts keep to the Lua 5.1 subset Argo CD's gopher-lua runs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// fengari ships no type declarations: the few entry points used here, typed.
type LuaState = object;
interface Fengari {
  to_luastring: (s: string) => Uint8Array;
  lua: {
    LUA_OK: number;
    LUA_TTABLE: number;
    lua_createtable: (L: LuaState, narr: number, nrec: number) => void;
    lua_pushnil: (L: LuaState) => void;
    lua_pushboolean: (L: LuaState, b: boolean) => void;
    lua_pushinteger: (L: LuaState, n: number) => void;
    lua_pushnumber: (L: LuaState, n: number) => void;
    lua_pushstring: (L: LuaState, s: Uint8Array) => void;
    lua_setfield: (L: LuaState, idx: number, k: Uint8Array) => void;
    lua_rawseti: (L: LuaState, idx: number, n: number) => void;
    lua_setglobal: (L: LuaState, name: Uint8Array) => void;
    lua_pcall: (L: LuaState, nargs: number, nresults: number, errfunc: number) => number;
    lua_getfield: (L: LuaState, idx: number, k: Uint8Array) => number;
    lua_type: (L: LuaState, idx: number) => number;
    lua_tojsstring: (L: LuaState, idx: number) => string | null;
    lua_pop: (L: LuaState, n: number) => void;
  };
  lauxlib: {
    luaL_newstate: () => LuaState;
    luaL_loadstring: (L: LuaState, s: Uint8Array) => number;
  };
  lualib: { luaL_openlibs: (L: LuaState) => void };
}

const fengari = createRequire(import.meta.url)('fengari') as Fengari;
const { lua, lauxlib, lualib, to_luastring: s } = fengari;

// One script serves both kinds (they share their status conventions).
const healthLua = new URL('../../deploy/argocd/health.lua', import.meta.url);
export const luaFiles = { HadoopEcoCluster: healthLua, KafkaCluster: healthLua, KafkaConfigGroup: healthLua } as const;
export const healthChecksYaml = new URL('../../deploy/argocd/health-checks.yaml', import.meta.url);

export interface ArgoHealth {
  status: string;
  message: string;
}

/** Pushes a JSON value onto the Lua stack as Argo CD would hand it over (arrays 1-based, null as nil). */
function push(L: LuaState, v: unknown): void {
  if (v === null || v === undefined) lua.lua_pushnil(L);
  else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
  else if (typeof v === 'number') (Number.isInteger(v) ? lua.lua_pushinteger : lua.lua_pushnumber)(L, v);
  else if (typeof v === 'string') lua.lua_pushstring(L, s(v));
  else if (Array.isArray(v)) {
    lua.lua_createtable(L, v.length, 0);
    v.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [k, item] of entries) {
      push(L, item);
      lua.lua_setfield(L, -2, s(k));
    }
  } else throw new Error(`cannot convert ${typeof v} to Lua`);
}

/** Runs one health script against one object (its JSON, as `kubectl get -o json` prints it). */
export function runHealthScript(script: string, obj: unknown): ArgoHealth {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  push(L, JSON.parse(JSON.stringify(obj)));
  lua.lua_setglobal(L, s('obj'));
  if (lauxlib.luaL_loadstring(L, s(script)) !== lua.LUA_OK) throw new Error(`Lua syntax error: ${lua.lua_tojsstring(L, -1)}`);
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw new Error(`Lua runtime error: ${lua.lua_tojsstring(L, -1)}`);
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) throw new Error('the health script did not return a table');
  lua.lua_getfield(L, -1, s('status'));
  const status = lua.lua_tojsstring(L, -1) ?? '';
  lua.lua_pop(L, 1);
  lua.lua_getfield(L, -1, s('message'));
  const message = lua.lua_tojsstring(L, -1) ?? '';
  return { status, message };
}

/** Argo CD's verdict on a live HadoopEcoCluster or KafkaCluster, from the script in deploy/argocd/. */
export function argoHealth(obj: { kind: string }): ArgoHealth {
  const file = luaFiles[obj.kind as keyof typeof luaFiles];
  if (!file) throw new Error(`no Argo CD health check for kind ${obj.kind}`);
  return runHealthScript(readFileSync(file, 'utf8'), obj);
}
