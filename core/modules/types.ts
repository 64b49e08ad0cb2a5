// The types module: the names of builtin types that have no builtin name, and coroutine (espy already lets a
// plain generator be awaited, as MicroPython does, so it returns the function unchanged).
import type { Vm } from "../vm/vm";
import { Q } from "../generated/qstr";
import { imm } from "../vm/layout";
import { T } from "../vm/types";
import { native, defineModule } from "../vm/registry";

defineModule({
  name: Q.types,
  attrs: function (): number[] {
    return [
      Q.coroutine, native(Q.coroutine, 1, 1, 0, function (vm: Vm, a: number) { return vm.H[a]; }),
      Q.FunctionType, imm(T.FUNCTION),
      Q.LambdaType, imm(T.FUNCTION),
      Q.GeneratorType, imm(T.GENERATOR),
      Q.CoroutineType, imm(T.COROUTINE),
      Q.MethodType, imm(T.METHOD),
      Q.BuiltinFunctionType, imm(T.BUILTIN_FUNCTION),
      Q.ModuleType, imm(T.MODULE),
      Q.NoneType, imm(T.NONETYPE),
    ];
  },
});
