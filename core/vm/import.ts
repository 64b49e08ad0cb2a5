// import: sys.modules, builtin modules from the registry, and user modules found by the platform's loader hook
// (host files or board Storage), each run once with its own globals. Relative imports resolve against __package__.
import { K, smi, LY } from "./layout";
import type { Vm } from "./vm";
import { T } from "./types";
import { Q } from "../generated/qstr";
import { raise, PY_EXC } from "./exc";
import { MODULES, findModule, moduleStaticNames } from "./registry";
import { newDict, dictGetStr, dictSet, tableDelete, tableNext, entryKey, entryValue } from "../obj/dict";
import { internJs, jstr, qw } from "../obj/str";
import { getAttrOrNull, getAttr } from "./attr";
import { getIter, iterNext } from "../obj/items";
import { intern } from "../obj/str";
import { kindOf, typeNameJs } from "./ops";
import { typeOf, isSubtype } from "../obj/type";
import { imm } from "./layout";
import { runModuleImage } from "./run";
import { FROZEN_NAMES, frozenImage } from "../generated/frozen";

/** What the platform's loader returns for a user module. */
export interface ModuleSource {
  bytes: Uint8Array; // a verified-later .mpb image
  filename: string; // for __file__ and tracebacks
  isPackage: boolean; // found as NAME/__init__.py: submodules are searched in its directory
  source: string | null; // the source text (byte string) for tracebacks, when known
}

/** A new module object named `name` (a JS byte string), not yet in sys.modules. */
export function newModule(vm: Vm, name: string, staticIndex: number): number {
  const nm = internJs(vm, name);
  vm.tpush(nm);
  const d = newDict(vm);
  vm.tpush(d);
  const p = vm.alloc(K.MODULE, 4);
  vm.tpop(2);
  const H = vm.H;
  H[p + LY.M_NAME] = nm;
  H[p + LY.M_DICT] = d;
  H[p + LY.M_STATIC] = smi(staticIndex);
  vm.tpush(p << 2);
  dictSet(vm, d, qw(Q.__name__), nm);
  vm.tpop(1);
  return p << 2;
}

/** The module called `name` (byte string): from sys.modules, the builtins, or the loader. NULL if not found. */
export function loadModule(vm: Vm, name: string): number {
  const key = internJs(vm, name);
  const have = dictGetStr(vm, vm.modules, key);
  if (have !== LY.NULL) return have;
  // a user module shadows a builtin one of the same name, as a file on MicroPython's path does
  const src = vm.loader ? vm.loader(vm, name) : null;
  if (src) return execModule(vm, name, src);
  const fz = frozenModule(name);
  if (fz) return execModule(vm, name, fz);
  const mi = findModule(key, vm);
  if (mi >= 0) {
    const m = newModule(vm, name, mi);
    vm.tpush(m);
    dictSet(vm, vm.modules, key, m);
    const init = MODULES[mi].init;
    if (init) init(vm, m);
    vm.tpop(1);
    return m;
  }
  return LY.NULL;
}

function execModule(vm: Vm, name: string, src: ModuleSource): number {
  const m = newModule(vm, name, -1);
  vm.tpush(m);
  const H = vm.H;
  const d = H[(m >> 2) + LY.M_DICT];
  const key = H[(m >> 2) + LY.M_NAME];
  dictSet(vm, d, qw(Q.__file__), internJs(vm, src.filename));
  const dot = name.lastIndexOf(".");
  dictSet(vm, d, qw(Q.__package__), internJs(vm, src.isPackage ? name : dot > 0 ? name.substr(0, dot) : ""));
  if (src.isPackage) dictSet(vm, d, qw(Q.__path__), internJs(vm, src.filename));
  dictSet(vm, vm.modules, key, m);
  try {
    runModuleImage(vm, src.bytes, src.filename, src.source, d);
  } catch (e) {
    tableDelete(vm, vm.modules, key);
    vm.tpop(1);
    throw e;
  }
  vm.tpop(1);
  // a module may replace itself in sys.modules
  const now = dictGetStr(vm, vm.modules, key);
  return now !== LY.NULL ? now : m;
}

/** A module frozen into the runtime (core/frozen/*.py, compiled at build time), or null. */
function frozenModule(name: string): ModuleSource | null {
  const names = FROZEN_NAMES.split("\n");
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== name) continue;
    const s = frozenImage(i);
    const b = new Uint8Array(s.length);
    for (let j = 0; j < s.length; j++) b[j] = s.charCodeAt(j);
    return { bytes: b, filename: "<frozen " + name + ">", isPackage: false, source: null };
  }
  return null;
}

/** The absolute name for a relative import of `name` at `level` from a module whose globals are g. */
function resolveName(vm: Vm, g: number, name: string, level: number): string {
  if (level === 0) return name;
  let pkg = g === LY.NULL ? LY.NULL : dictGetStr(vm, g, qw(Q.__package__));
  if (pkg === LY.NULL || pkg === LY.NONE) {
    const mn = g === LY.NULL ? LY.NULL : dictGetStr(vm, g, qw(Q.__name__));
    if (mn === LY.NULL) throw raise(vm, T.IMPORT_ERROR, "attempted relative import with no known parent package");
    const s = jstr(vm, mn);
    const isPkg = dictGetStr(vm, g, qw(Q.__path__)) !== LY.NULL;
    pkg = internJs(vm, isPkg ? s : s.lastIndexOf(".") >= 0 ? s.substr(0, s.lastIndexOf(".")) : "");
  }
  let base = jstr(vm, pkg);
  if (base === "") throw raise(vm, T.IMPORT_ERROR, "attempted relative import with no known parent package");
  for (let i = 1; i < level; i++) {
    const dot = base.lastIndexOf(".");
    if (dot < 0) throw raise(vm, T.IMPORT_ERROR, "attempted relative import beyond top-level package");
    base = base.substr(0, dot);
  }
  return name ? base + "." + name : base;
}

function notFound(vm: Vm, name: string): unknown {
  return raise(vm, T.MODULE_NOT_FOUND_ERROR, "No module named '" + name + "'");
}

/** IMPORT_NAME: import `name` (a str word) and return what the statement binds. */
export function importModule(vm: Vm, g: number, nameW: number, fromlist: number, level: number): number {
  const full = resolveName(vm, g, jstr(vm, nameW), level);
  const parts = full.split(".");
  let top = LY.NULL;
  let mod = LY.NULL;
  let path = "";
  for (let i = 0; i < parts.length; i++) {
    path = i ? path + "." + parts[i] : parts[i];
    const m = loadModule(vm, path);
    if (m === LY.NULL) throw notFound(vm, path);
    if (mod !== LY.NULL) {
      // bind the submodule as an attribute of its package
      const pd = vm.H[(mod >> 2) + LY.M_DICT];
      vm.tpush(m);
      dictSet(vm, pd, internJs(vm, parts[i]), m);
      vm.tpop(1);
    }
    mod = m;
    if (i === 0) {
      top = m;
      vm.tpush(top);
    }
  }
  vm.tpop(1);
  if (fromlist === LY.NONE || fromlist === LY.NULL || (kindOf(vm, fromlist) === K.TUPLE && vm.H[(fromlist >> 2) + LY.SEQ_LEN] === 1)) {
    // `import a.b.c` binds a; with a relative import the resolved module itself
    return level > 0 && parts.length === 1 ? mod : level > 0 ? loadModule(vm, full.split(".").slice(0, full.split(".").length - (jstr(vm, nameW).split(".").length - 1)).join(".")) : top;
  }
  // from-imports of submodules: load those not already attributes
  const H = vm.H;
  const n = H[(fromlist >> 2) + LY.SEQ_LEN] >> 1;
  vm.tpush(mod);
  for (let i = 0; i < n; i++) {
    const item = H[(fromlist >> 2) + LY.TUP_ITEMS + i];
    const s = jstr(vm, item);
    if (s === "*") continue;
    if (getAttrOrNull(vm, mod, item) === LY.NULL) {
      const sub = loadModule(vm, full + "." + s);
      if (sub !== LY.NULL) dictSet(vm, H[(mod >> 2) + LY.M_DICT], internJs(vm, s), sub);
    }
  }
  vm.tpop(1);
  return mod;
}

/** IMPORT_FROM: attribute `name` of module m, ImportError if it has none. */
export function moduleFrom(vm: Vm, m: number, name: number): number {
  let v: number;
  const tn = vm.tn;
  try {
    v = getAttrOrNull(vm, m, name);
  } catch (e) {
    if (e === PY_EXC && isSubtype(vm, typeOf(vm, vm.excValue), imm(T.ATTRIBUTE_ERROR))) {
      vm.excValue = LY.NULL;
      vm.tn = tn;
      v = LY.NULL;
    } else throw e;
  }
  if (v === LY.NULL) {
    const mn = kindOf(vm, m) === K.MODULE ? jstr(vm, vm.H[(m >> 2) + LY.M_NAME]) : typeNameJs(vm, m);
    throw raise(vm, T.IMPORT_ERROR, "cannot import name '" + jstr(vm, name) + "' from '" + mn + "'");
  }
  return v;
}

/** IMPORT_STAR: copy m's public names (or its __all__) into the dict `into`. m may be any object. */
export function moduleStar(vm: Vm, m: number, into: number): void {
  const H = vm.H;
  const isMod = kindOf(vm, m) === K.MODULE;
  const all = getAttrOrNull(vm, m, qw(Q.__all__));
  if (all !== LY.NULL) {
    vm.tpush(all);
    const it = getIter(vm, all);
    vm.tpush(it);
    for (;;) {
      const nm = iterNext(vm, it);
      if (nm === LY.NULL) break;
      vm.tpush(nm);
      dictSet(vm, into, intern(vm, nm), moduleFrom(vm, m, nm));
      vm.tpop(1);
    }
    vm.tpop(2);
    return;
  }
  const d = isMod ? H[(m >> 2) + LY.M_DICT] : getAttr(vm, m, qw(Q.__dict__));
  vm.tpush(d);
  for (let i = tableNext(vm, d, 0); i >= 0; i = tableNext(vm, d, i + 1)) {
    const k = entryKey(vm, d, i);
    if (jstr(vm, k).charAt(0) === "_") continue;
    dictSet(vm, into, k, isMod ? entryValue(vm, d, i) : moduleFrom(vm, m, k));
  }
  vm.tpop(1);
  const si = isMod ? H[(m >> 2) + LY.M_STATIC] >> 1 : -1;
  if (si >= 0) {
    const names = moduleStaticNames(vm, si);
    for (let i = 0; i < names.length; i++) {
      if (jstr(vm, names[i]).charAt(0) === "_") continue;
      dictSet(vm, into, names[i], moduleFrom(vm, m, names[i]));
    }
  }
}
