// Start-up of the runtime: registers every builtin once per process and creates VMs ready to run images.
// This is what boards/ and flasher/ call; core/index.ts re-exports it.
import type { Hal } from "./hal";
import { Vm } from "./vm/vm";
import type { VmOptions } from "./vm/vm";
import { K, LY } from "./vm/layout";
import { initExceptions } from "./vm/exc";
import { newTable, newDict, dictSet, tableDeleteAt, tableClear, tableNext, entryKey, entryHash, tableInsertNew } from "./obj/dict";
import { newList } from "./obj/seq";
import { internJs, qw, Q } from "./obj/str";
import { initClasses, setListMaker, setObjectAttrFns, setSuperHelpers, setReprFns } from "./obj/class";
import { initInts } from "./obj/ints";
import { initLists, setTableHelpers } from "./obj/listmethods";
import { initDicts, setHasKeys, setDictHelpers } from "./obj/dictmethods";
import { initStrs, setStrHelpers } from "./obj/strmethods";
import { initMisc, genNextNative } from "./obj/misc";
import { setTruthy, setCallers } from "./obj/items";
import { setCallNoArgs, codeObject } from "./vm/support";
import { setGenNext, setCodeOfImage, builtinsModule, ROOT_BUILTINS } from "./modules/builtins";
import { streamFd, initSys } from "./modules/sys";
import { truthy, lenOf, lookupSpecial } from "./vm/ops";
import { call0, callNested, callN } from "./vm/call";
import { genericSetAttr, genericDelAttr, bindMethod } from "./vm/attr";
import { staticAttr } from "./vm/registry";
import { typeOf } from "./obj/type";
import { intern } from "./obj/str";
import { reprJs, toRepr, toStr, classPath } from "./obj/repr";
import { setItem } from "./obj/items";
import { newModule } from "./vm/import";
import { smi } from "./vm/layout";
import "./modules/index";

let ready = false;

/** Register the builtin types' methods and wire the object files together (once per process). */
export function initRuntime(): void {
  if (ready) return;
  ready = true;
  initClasses();
  initInts();
  initLists();
  initDicts();
  initStrs();
  initMisc();
  initSys();
  setTruthy(truthy);
  setCallers(
    function (vm, fn, args) {
      // args: a tuple whose item 0 is scratch for the call
      return callNested(vm, fn, (args >> 2) + LY.TUP_ITEMS + 1, (vm.H[(args >> 2) + LY.SEQ_LEN] >> 1) - 1, LY.NULL, LY.NULL);
    },
    call0,
  );
  setCallNoArgs(call0);
  setListMaker(function (vm, n) {
    return newList(vm, n, n);
  });
  setObjectAttrFns(
    function (vm, o, name, v) {
      genericSetAttr(vm, o, typeOf(vm, o), intern(vm, name), v);
    },
    function (vm, o, name) {
      genericDelAttr(vm, o, typeOf(vm, o), intern(vm, name));
    },
  );
  setSuperHelpers(
    function (t, name) {
      return staticAttr(t >> 2, name);
    },
    function (vm, f, obj) {
      return bindMethod(vm, f, obj);
    },
  );
  setReprFns(
    function (vm, w) {
      return "<" + classPath(vm, typeOf(vm, w)) + " object at 0x" + ((w >> 2) * 4 + 0x7f000000).toString(16) + ">";
    },
    toRepr,
    toStr,
  );
  setTableHelpers(
    tableDeleteAt,
    function (vm, dst, src) {
      tableClear(vm, dst);
      for (let i = tableNext(vm, src, 0); i >= 0; i = tableNext(vm, src, i + 1)) tableInsertNew(vm, dst, entryKey(vm, src, i), LY.NULL, entryHash(vm, src, i));
    },
    function (vm, x) {
      return smi(lenOf(vm, x));
    },
  );
  setHasKeys(function (vm, w) {
    return lookupSpecial(vm, w, qw(Q.keys)) !== LY.NULL;
  });
  setDictHelpers(function (vm, cls) {
    return callN(vm, cls, 0, LY.NULL, LY.NULL, LY.NULL);
  }, setItem);
  setStrHelpers(newDict, dictSet);
  setGenNext(genNextNative);
  setCodeOfImage(function (vm, ii) {
    return codeObject(vm, vm.images[ii], ii, 0);
  });
  void reprJs;
}

/** A VM with its heap, builtins and an empty __main__ module, ready for runMain. */
export function createVm(hal: Hal, opts: VmOptions): Vm {
  initRuntime();
  const vm = new Vm(hal, opts);
  initExceptions(vm);
  vm.interned = newTable(vm, K.SET, 0);
  vm.modules = newDict(vm);
  vm.fdOf = streamFd;
  const b = builtinsModule(vm);
  vm.extraRoots[ROOT_BUILTINS] = b;
  const main = newModule(vm, "__main__", -1);
  vm.tpush(main);
  dictSet(vm, vm.modules, internJs(vm, "__main__"), main);
  vm.mainGlobals = vm.H[(main >> 2) + LY.M_DICT];
  dictSet(vm, vm.mainGlobals, qw(Q.__builtins__), b);
  vm.tpop(1);
  return vm;
}
