// The opcode table: the one definition of espy's bytecode.
// The Op enum (core/generated/op.ts, by `npm run gen`), the compiler's stack accounting, the verifier and the
// disassembler are all derived from OPCODES. Changing a row changes the bytecode: bump IMAGE_VERSION in image.ts
// (a test hashes this table to remind you).
//
// Encoding: one opcode byte, then at most one operand. Operands are unsigned LEB128 varints (7 bits a byte, low
// group first) except JUMP targets, which are 2 bytes little-endian: an offset from the start of the code object's
// bytecode, so the emitter can patch them in place. Stack notation: `a b -- c` pops b (top) and a, pushes c.
// "block" counts entries of the frame's block stack (try/with handlers).

/** What an operand means, which also says how the verifier bounds it. */
export enum Arg {
  NONE, // no operand
  UINT, // a count or a flag set
  SINT, // zigzag-encoded signed value
  NAME, // index into the image's name table
  CONST, // index into the image's constant table
  LOCAL, // index of a fast local (0 … nlocals-1)
  DEREF, // index of a cell or free variable slot (nlocals … nlocals+ncells+nfree-1)
  FUNC, // code object index << 3 | MAKE_FUNCTION flags
  JUMP, // 2-byte target offset in this code object
}

/** Flags in MAKE_FUNCTION's operand: which optional values are on the stack, pushed in this order. */
export const MF_DEFAULTS = 1; // tuple of positional defaults
export const MF_KWDEFAULTS = 2; // dict of keyword-only defaults
export const MF_CLOSURE = 4; // tuple of cells

/** BINARY_OP operands. INPLACE is added for augmented assignment (`+=` tries __iadd__ first). */
export const BINOPS = ["+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"] as const;
export const BINOP_INPLACE = 16;
/** UNARY_OP operands. */
export const UNOPS = ["-", "+", "~", "not"] as const;
/** COMPARE_OP operands. */
export const CMPOPS = ["<", "<=", "==", "!=", ">", ">="] as const;
/** FORMAT_VALUE operand: conversion in the low 2 bits, FV_SPEC if a format spec is on the stack. */
export const FV_STR = 1;
export const FV_REPR = 2;
export const FV_ASCII = 3;
export const FV_SPEC = 4;

/** Stack effects a row cannot state as a number: computed by stackEffect() from the operand. */
const V = 1000;

export interface OpInfo {
  name: string;
  arg: Arg;
  /** Net stack effect when execution falls through (V: depends on the operand). */
  effect: number;
  /** For JUMP operands: net effect when the jump is taken. */
  jumpEffect: number;
  /** Change of block-stack depth. */
  block: number;
  /** Control never falls through to the next instruction. */
  terminal: boolean;
  doc: string;
}

type Row = [name: string, arg: Arg, effect: number, jumpEffect: number, block: number, terminal: number, doc: string];

// prettier-ignore
const ROWS: Row[] = [
  ["NOP",                  Arg.NONE,   0,  0,  0, 0, "--"],
  ["POP_TOP",              Arg.NONE,  -1,  0,  0, 0, "a --"],
  ["ROT_TWO",              Arg.NONE,   0,  0,  0, 0, "a b -- b a"],
  ["ROT_THREE",            Arg.NONE,   0,  0,  0, 0, "a b c -- c a b"],
  ["ROT_FOUR",             Arg.NONE,   0,  0,  0, 0, "a b c d -- d a b c"],
  ["DUP_TOP",              Arg.NONE,   1,  0,  0, 0, "a -- a a"],
  ["DUP_TOP_TWO",          Arg.NONE,   2,  0,  0, 0, "a b -- a b a b"],

  ["LOAD_CONST",           Arg.CONST,  1,  0,  0, 0, "-- consts[i]"],
  ["LOAD_INT",             Arg.SINT,   1,  0,  0, 0, "-- n (a small int literal)"],
  ["LOAD_NONE",            Arg.NONE,   1,  0,  0, 0, "-- None"],
  ["LOAD_TRUE",            Arg.NONE,   1,  0,  0, 0, "-- True"],
  ["LOAD_FALSE",           Arg.NONE,   1,  0,  0, 0, "-- False"],

  ["LOAD_FAST",            Arg.LOCAL,  1,  0,  0, 0, "-- locals[i] (UnboundLocalError if unset)"],
  ["STORE_FAST",           Arg.LOCAL, -1,  0,  0, 0, "v -- ; locals[i] = v"],
  ["DELETE_FAST",          Arg.LOCAL,  0,  0,  0, 0, "-- ; unset locals[i] (UnboundLocalError if unset)"],
  ["LOAD_DEREF",           Arg.DEREF,  1,  0,  0, 0, "-- cell(slot i).contents (NameError/UnboundLocalError if empty)"],
  ["STORE_DEREF",          Arg.DEREF, -1,  0,  0, 0, "v -- ; cell(slot i).contents = v"],
  ["DELETE_DEREF",         Arg.DEREF,  0,  0,  0, 0, "-- ; empty cell(slot i)"],
  ["LOAD_CLOSURE",         Arg.DEREF,  1,  0,  0, 0, "-- cell(slot i) itself, for MAKE_FUNCTION's closure tuple"],
  ["LOAD_CLASSDEREF",      Arg.DEREF,  1,  0,  0, 0, "-- locals dict[name of slot i] if present, else the cell's contents (class bodies)"],
  ["LOAD_NAME",            Arg.NAME,   1,  0,  0, 0, "-- name looked up in locals dict, globals, builtins"],
  ["STORE_NAME",           Arg.NAME,  -1,  0,  0, 0, "v -- ; locals dict[name] = v"],
  ["DELETE_NAME",          Arg.NAME,   0,  0,  0, 0, "-- ; del locals dict[name]"],
  ["LOAD_GLOBAL",          Arg.NAME,   1,  0,  0, 0, "-- name looked up in globals, builtins"],
  ["STORE_GLOBAL",         Arg.NAME,  -1,  0,  0, 0, "v -- ; globals[name] = v"],
  ["DELETE_GLOBAL",        Arg.NAME,   0,  0,  0, 0, "-- ; del globals[name]"],

  ["LOAD_ATTR",            Arg.NAME,   0,  0,  0, 0, "o -- o.name"],
  ["STORE_ATTR",           Arg.NAME,  -2,  0,  0, 0, "v o -- ; o.name = v"],
  ["DELETE_ATTR",          Arg.NAME,  -1,  0,  0, 0, "o -- ; del o.name"],
  ["LOAD_METHOD",          Arg.NAME,   1,  0,  0, 0, "o -- f o (unbound function and self) | NULL o.name"],
  ["CALL_METHOD",          Arg.UINT,   V,  0,  0, 0, "f o a1..an -- f(o, a1..an) | NULL g a1..an -- g(a1..an)"],
  ["CALL_FUNCTION",        Arg.UINT,   V,  0,  0, 0, "f a1..an -- f(a1..an)"],
  ["CALL_FUNCTION_KW",     Arg.UINT,   V,  0,  0, 0, "f a1..an names -- f(...): the last len(names) of the n args are keywords"],
  ["CALL_FUNCTION_EX",     Arg.UINT,   V,  0,  0, 0, "f args [kwargs] -- f(*args, **kwargs); operand 1 if kwargs is present"],
  ["MAKE_FUNCTION",        Arg.FUNC,   V,  0,  0, 0, "[defaults] [kwdefaults] [closure] -- function of code object i (flags say which are present)"],
  ["LOAD_BUILD_CLASS",     Arg.NONE,   1,  0,  0, 0, "-- __build_class__"],

  ["BINARY_OP",            Arg.UINT,  -1,  0,  0, 0, "a b -- a op b (op = BINOPS[i & 15], in place if i & 16)"],
  ["UNARY_OP",             Arg.UINT,   0,  0,  0, 0, "a -- op a (op = UNOPS[i])"],
  ["COMPARE_OP",           Arg.UINT,  -1,  0,  0, 0, "a b -- a op b (op = CMPOPS[i])"],
  ["IS_OP",                Arg.UINT,  -1,  0,  0, 0, "a b -- a is b (is not, if i = 1)"],
  ["CONTAINS_OP",          Arg.UINT,  -1,  0,  0, 0, "a b -- a in b (not in, if i = 1)"],
  ["BINARY_SUBSCR",        Arg.NONE,  -1,  0,  0, 0, "o k -- o[k]"],
  ["STORE_SUBSCR",         Arg.NONE,  -3,  0,  0, 0, "v o k -- ; o[k] = v"],
  ["DELETE_SUBSCR",        Arg.NONE,  -2,  0,  0, 0, "o k -- ; del o[k]"],

  ["BUILD_TUPLE",          Arg.UINT,   V,  0,  0, 0, "a1..an -- (a1, .., an)"],
  ["BUILD_LIST",           Arg.UINT,   V,  0,  0, 0, "a1..an -- [a1, .., an]"],
  ["BUILD_SET",            Arg.UINT,   V,  0,  0, 0, "a1..an -- {a1, .., an}"],
  ["BUILD_MAP",            Arg.UINT,   V,  0,  0, 0, "k1 v1 .. kn vn -- {k1: v1, ..}"],
  ["BUILD_SLICE",          Arg.UINT,   V,  0,  0, 0, "a b [c] -- slice(a, b[, c]); operand 2 or 3"],
  ["BUILD_STRING",         Arg.UINT,   V,  0,  0, 0, "s1..sn -- s1 + .. + sn (all str)"],
  ["LIST_APPEND",          Arg.UINT,  -1,  0,  0, 0, "L .. v -- L ..: L (i-th from top after the pop) .append(v)"],
  ["SET_ADD",              Arg.UINT,  -1,  0,  0, 0, "S .. v -- S ..: S.add(v)"],
  ["MAP_ADD",              Arg.UINT,  -2,  0,  0, 0, "D .. k v -- D ..: D[k] = v"],
  ["LIST_EXTEND",          Arg.UINT,  -1,  0,  0, 0, "L .. it -- L ..: L.extend(it)"],
  ["SET_UPDATE",           Arg.UINT,  -1,  0,  0, 0, "S .. it -- S ..: S.update(it)"],
  ["DICT_UPDATE",          Arg.UINT,  -1,  0,  0, 0, "D .. m -- D ..: D.update(m)"],
  ["DICT_MERGE",           Arg.UINT,  -1,  0,  0, 0, "D .. m -- D ..: D.update(m), TypeError on a repeated key (f(**a, **b))"],
  ["LIST_TO_TUPLE",        Arg.NONE,   0,  0,  0, 0, "L -- tuple(L)"],
  ["FORMAT_VALUE",         Arg.UINT,   V,  0,  0, 0, "v [spec] -- format(conv(v), spec) (conversion i & 3, spec present if i & 4)"],
  ["UNPACK_SEQUENCE",      Arg.UINT,   V,  0,  0, 0, "seq -- an .. a1 (exactly n items, a1 on top)"],
  ["UNPACK_EX",            Arg.UINT,   V,  0,  0, 0, "seq -- ..: i = before | after << 8; the rest as a list between them"],

  ["GET_ITER",             Arg.NONE,   0,  0,  0, 0, "o -- iter(o)"],
  ["FOR_ITER",             Arg.JUMP,   1, -1,  0, 0, "it -- it next(it) | (exhausted: pop it and jump)"],
  ["JUMP",                 Arg.JUMP,   0,  0,  0, 1, "-- ; jump"],
  ["POP_JUMP_IF_FALSE",    Arg.JUMP,  -1, -1,  0, 0, "v -- ; jump if not v"],
  ["POP_JUMP_IF_TRUE",     Arg.JUMP,  -1, -1,  0, 0, "v -- ; jump if v"],
  ["JUMP_IF_FALSE_OR_POP", Arg.JUMP,  -1,  0,  0, 0, "v -- v (jump if not v) | -- (pop and fall through)"],
  ["JUMP_IF_TRUE_OR_POP",  Arg.JUMP,  -1,  0,  0, 0, "v -- v (jump if v) | -- (pop and fall through)"],

  ["SETUP_FINALLY",        Arg.JUMP,   0,  2,  1, 0, "-- ; push a handler block: an exception unwinds to here and jumps with prev exc pushed"],
  ["SETUP_WITH",           Arg.JUMP,   1,  2,  1, 0, "m -- m.__exit__ m.__enter__(); then as SETUP_FINALLY"],
  ["POP_BLOCK",            Arg.NONE,   0,  0, -1, 0, "-- ; pop the innermost handler block"],
  ["POP_EXCEPT",           Arg.NONE,  -1,  0, -1, 0, "prev -- ; leave an except handler: the handled exception becomes prev again"],
  ["RERAISE",              Arg.NONE,  -1,  0,  0, 1, "exc -- ; raise exc again, keeping its traceback"],
  ["WITH_EXCEPT_START",    Arg.NONE,   1,  0,  0, 0, "exit prev exc -- exit prev exc exit(type(exc), exc, tb)"],
  ["JUMP_IF_NOT_EXC_MATCH",Arg.JUMP,  -2, -2,  0, 0, "exc t -- ; jump unless exc is an instance of t (a class or tuple of classes)"],
  ["RAISE_VARARGS",        Arg.UINT,   V,  0,  0, 1, "[exc [cause]] -- ; raise (re-raise the handled exception when i = 0)"],
  ["LOAD_ASSERTION_ERROR", Arg.NONE,   1,  0,  0, 0, "-- AssertionError"],

  ["RETURN_VALUE",         Arg.NONE,  -1,  0,  0, 1, "v -- ; return v to the caller"],
  ["YIELD_VALUE",          Arg.NONE,   0,  0,  0, 0, "v -- sent (suspend the generator, yielding v)"],
  ["YIELD_FROM",           Arg.NONE,  -1,  0,  0, 0, "it v -- result (delegate to it until it returns; the ip stays here while it yields)"],
  ["GET_YIELD_FROM_ITER",  Arg.NONE,   0,  0,  0, 0, "o -- iter(o) (a generator or coroutine is kept as is)"],
  ["GET_AWAITABLE",        Arg.NONE,   0,  0,  0, 0, "o -- the iterator of o.__await__() (o itself for a coroutine)"],
  ["GET_AITER",            Arg.NONE,   0,  0,  0, 0, "o -- o.__aiter__()"],
  ["GET_ANEXT",            Arg.NONE,   1,  0,  0, 0, "ai -- ai awaitable(ai.__anext__())"],
  ["END_ASYNC_FOR",        Arg.NONE,  -3,  0, -1, 0, "ai prev exc -- ; end `async for` on StopAsyncIteration, else re-raise"],
  ["BEFORE_ASYNC_WITH",    Arg.NONE,   1,  0,  0, 0, "m -- m.__aexit__ m.__aenter__()"],
  ["SETUP_ASYNC_WITH",     Arg.JUMP,   0,  1,  1, 0, "-- ; as SETUP_FINALLY, for the awaited __aenter__ result"],

  ["IMPORT_NAME",          Arg.NAME,  -1,  0,  0, 0, "level fromlist -- module (the top package unless fromlist is given)"],
  ["IMPORT_FROM",          Arg.NAME,   1,  0,  0, 0, "m -- m m.name (ImportError if missing)"],
  ["IMPORT_STAR",          Arg.NONE,  -1,  0,  0, 0, "m -- ; copy m's public names into the locals dict"],
  ["PRINT_EXPR",           Arg.NONE,  -1,  0,  0, 0, "v -- ; the REPL shows repr(v) unless None, and binds _"],
  ["SETUP_ANNOTATIONS",    Arg.NONE,   0,  0,  0, 0, "-- ; make sure __annotations__ exists in the locals dict"],
];

/** The table with names, for host tools (disassembler, docs). Device code reads the packed form in opinfo.ts. */
export const OPCODES: OpInfo[] = /* @__PURE__ */ ROWS.map((r) => ({
  name: r[0],
  arg: r[1],
  effect: r[2],
  jumpEffect: r[3],
  block: r[4],
  terminal: r[5] === 1,
  doc: r[6],
}));

/** Marker in the effect column: the effect depends on the operand (see stackEffect in opinfo.ts). */
export const VARIABLE_EFFECT = V;
