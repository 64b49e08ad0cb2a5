// The io module: StringIO and BytesIO, open, the file classes, and IOBase (an empty class user streams derive
// from, as in MicroPython). The streams themselves are in core/obj/fileobj.ts.
import { imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { native, defineModule, NF_KW } from "../vm/registry";
import { makeClass } from "../obj/class";
import { newTuple } from "../obj/seq";
import { newDict, dictSet } from "../obj/dict";
import { qw } from "../obj/str";
import { openFn } from "../obj/fileobj";

defineModule({
  name: Q.io,
  attrs: function (): number[] {
    return [
      Q.StringIO, imm(T.STRINGIO),
      Q.BytesIO, imm(T.BYTESIO),
      Q.TextIOWrapper, imm(T.TEXTIO),
      Q.FileIO, imm(T.FILEIO),
      Q.open, native(Q.open, 0, 6, NF_KW, openFn),
      Q.__name__, qw(Q.io),
    ];
  },
  init: function (vm: Vm, mod: number): void {
    const d = vm.H[(mod >> 2) + LY.M_DICT];
    const ns = newDict(vm);
    vm.tpush(ns);
    dictSet(vm, ns, qw(Q.__module__), qw(Q.io));
    const bases = newTuple(vm, 1);
    vm.H[(bases >> 2) + LY.TUP_ITEMS] = imm(T.OBJECT);
    const cls = makeClass(vm, imm(T.TYPE), qw(Q.IOBase), bases, ns);
    vm.tpush(cls);
    dictSet(vm, d, qw(Q.IOBase), cls);
    vm.tpop(2);
    void LY.NULL;
  },
});
