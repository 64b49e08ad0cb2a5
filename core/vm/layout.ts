// The shape of values and heap objects: tags, object kinds, header encoding, field offsets and the frame layout.
// Every other VM file reads objects through these constants; docs/design.md explains the rules behind them.

// --- Tagged words --------------------------------------------------------------------------------------------------
// small int: (v << 1) | 1 · pointer: byte offset (low bits 00, never 0) · immediate: (id << 2) | 2 · 0: NULL.

export const NULL = 0;
export const NONE = 2; // id 0
export const FALSE = 6; // id 1
export const TRUE = 10; // id 2
export const ELLIPSIS = 14; // id 3
export const NOT_IMPLEMENTED = 18; // id 4

export const SMALL_MIN = -1073741824; // -2^30
export const SMALL_MAX = 1073741823; // 2^30 - 1

/** Immediate ids: singletons 0-4, builtin types from TYPE_BASE, natives from NATIVE_BASE, static strings from QSTR_BASE. */
export const TYPE_BASE = 16;
export const NATIVE_BASE = 512;
export const QSTR_BASE = 8192;

// --- Object kinds ----------------------------------------------------------------------------------------------------
// Kinds below K_TRACED are raw (no pointers inside); from K_TRACED on, every word after the header is a tagged value.

export const enum K {
  FREE = 0, // [hdr, next free]
  STR = 1, // [hdr, hash, bytelen, charlen, bytes…]
  BYTES = 2, // same layout as STR
  FLOAT = 3, // [hdr, low word, high word]
  BIGINT = 4, // [hdr, ±nlimbs, limbs… (24 bits each)]
  RAWBUF = 5, // [hdr, bytes…]: storage of bytearray and array.array
  INDEX = 6, // [hdr, mask, slots…]: hash index of a dict or set (slot = entry+1, 0 empty, -1 deleted)

  TRACED = 16,
  TUPLE = 16, // [hdr, len, items…]
  LIST = 17, // [hdr, len, ARRAY]
  ARRAY = 18, // [hdr, items…]: growable storage (capacity = size - 1)
  DICT = 19, // [hdr, used, nent, ARRAY of (hash, key, value), INDEX|0]
  SET = 20, // same as DICT (values unused); FROZENSET by the type word below
  FUNC = 21, // [hdr, CODE, globals, defaults, kwdefaults, closure, attrs dict|0]
  CODE = 22, // [hdr, image index, code index]
  CELL = 23, // [hdr, contents]
  TYPE = 24, // [hdr, name, bases, mro, dict, flags, native base, qualname]
  INST = 25, // [hdr, type, dict|0, native value|0]
  EXC = 26, // [hdr, type, dict|0, args, traceback, cause, context, flags]
  BOUND = 27, // [hdr, func, self]
  GEN = 28, // [hdr, FRAME|0, flags, name]
  FRAME = 29, // see F_* below
  MODULE = 30, // [hdr, name, dict, static module id]
  RANGE = 31, // [hdr, start, stop, step]
  SLICE = 32, // [hdr, start, stop, step]
  ITER = 33, // [hdr, subkind, a, b, c]
  PROPERTY = 34, // [hdr, fget, fset, fdel, doc]
  CLASSMETHOD = 35, // [hdr, func]
  STATICMETHOD = 36, // [hdr, func]
  SUPER = 37, // [hdr, type, obj]
  BYTEARRAY = 38, // [hdr, len, RAWBUF|0, flags (bit 0: memoryview, read-only)]
  TB = 39, // [hdr, next, CODE, ip]
  NATIVE_OBJ = 40, // [hdr, type, subkind, a, b, c…]: instances of builtin-module classes (StringIO, deque, Pin…)
  FROZENSET = 41, // same layout as DICT
}

// Header: size in words << 8 | mark bit << 7 | kind.
export const MARK = 128;
export function hdr(kind: number, size: number): number {
  return (size << 8) | kind;
}

// --- Field offsets -------------------------------------------------------------------------------------------------
export const S_HASH = 1;
export const S_BLEN = 2;
export const S_CLEN = 3;
export const S_DATA = 4; // first data word; byte offset of the data is (p + S_DATA) * 4

export const SEQ_LEN = 1; // TUPLE, LIST, BYTEARRAY
export const TUP_ITEMS = 2;
export const LIST_ARR = 2;

export const D_USED = 1;
export const D_NENT = 2;
export const D_ENT = 3;
export const D_INDEX = 4;
export const D_SMALL = 8; // up to this many entries a dict has no index and is searched linearly

export const FN_CODE = 1;
export const FN_GLOBALS = 2;
export const FN_DEFAULTS = 3;
export const FN_KWDEFAULTS = 4;
export const FN_CLOSURE = 5;
export const FN_ATTRS = 6;
export const FN_SIZE = 7;

export const CODE_IMG = 1;
export const CODE_IDX = 2;

export const TY_NAME = 1;
export const TY_BASES = 2;
export const TY_MRO = 3;
export const TY_DICT = 4;
export const TY_FLAGS = 5;
export const TY_NATIVE = 6; // the builtin type instances are made from (object, list, dict, an exception…)
export const TY_QUALNAME = 7;
export const TY_META = 8; // the metaclass (type, unless a user metaclass made it)
export const TY_MODULE = 9;
export const TY_SIZE = 10;
// TY_FLAGS bits: which special methods the class (or a base) defines, so hot paths skip dict lookups.
export const TF_GETATTR = 1; // __getattr__
export const TF_GETATTRIBUTE = 2; // __getattribute__
export const TF_SETATTR = 4; // __setattr__ or __delattr__
export const TF_DESCRIPTORS = 8; // some class attribute has __get__/__set__ (a user descriptor)
export const TF_EXC = 16; // a subclass of BaseException

export const I_TYPE = 1;
export const I_DICT = 2;
export const I_NATIVE = 3;
export const I_SIZE = 4;

export const E_TYPE = 1;
export const E_DICT = 2;
export const E_ARGS = 3;
export const E_TB = 4;
export const E_CAUSE = 5;
export const E_CONTEXT = 6;
export const E_FLAGS = 7; // bit 0: __suppress_context__
export const E_SIZE = 8;

export const B_FUNC = 1;
export const B_SELF = 2;

export const G_FRAME = 1;
export const G_FLAGS = 2; // GF_* below
export const G_NAME = 3;
export const GF_RUNNING = 1;
export const GF_STARTED = 2;
export const GF_CORO = 4;
export const GF_ASYNCGEN = 8;

export const M_NAME = 1;
export const M_DICT = 2;
export const M_STATIC = 3;

export const TB_NEXT = 1;
export const TB_CODE = 2;
export const TB_IP = 3;

// --- Frames ----------------------------------------------------------------------------------------------------------
// [hdr, back, CODE, globals, locals dict|0, func|0, ip, sp, nblocks, flags, saved exc, locals…, stack…, blocks…]
// ip is the byte offset in the image, sp the word index of the top of stack (base-1 when empty), both as small ints.
// Each block is two words: handler ip << 1 | is-except-handler, and the stack level to return to.
export const F_BACK = 1;
export const F_CODE = 2;
export const F_GLOBALS = 3;
export const F_LOCALS = 4;
export const F_FUNC = 5;
export const F_IP = 6;
export const F_SP = 7;
export const F_NBLOCKS = 8;
export const F_FLAGS = 9;
export const F_EXC = 10;
export const F_SLOTS = 11;

// F_FLAGS bits
export const FF_EXIT = 1; // returning from this frame ends the current (nested) run
export const FF_CTOR = 2; // an __init__ called by a class call: its None result is replaced by the instance
export const FF_GEN = 4; // a generator or coroutine frame (a heap object owned by its generator)
export const FF_CLASS = 8; // a class body run by __build_class__
export const FF_DISCARD = 16; // the result is dropped (a call whose value nobody wants, e.g. __set_name__)

// --- Iterator subkinds (ITER objects) ------------------------------------------------------------------------------
export const enum IT {
  SEQ = 0, // list, tuple: a = sequence, b = index
  STR = 1, // a = str, b = byte offset
  BYTES = 2, // a = bytes/bytearray, b = index
  RANGE = 3, // a = next value, b = stop, c = step
  DICT_KEYS = 4, // a = dict, b = entry index
  DICT_VALUES = 5,
  DICT_ITEMS = 6,
  ENUMERATE = 7, // a = iterator, b = count
  ZIP = 8, // a = tuple of iterators
  MAP = 9, // a = function, b = tuple of iterators
  FILTER = 10, // a = function (or None), b = iterator
  REVERSED = 11, // a = sequence, b = index (counting down)
  CALLABLE = 12, // a = callable, b = sentinel
  GETITEM = 13, // a = object with __getitem__, b = index
  SET = 14, // a = set, b = entry index
  DICT_VIEW_KEYS = 15, // views (not iterators): a = dict
  DICT_VIEW_VALUES = 16,
  DICT_VIEW_ITEMS = 17,
}

/** The immediate word of static object id (a builtin type T.x, a native index + NATIVE_BASE, a qstr id). */
export function imm(id: number): number {
  return (id << 2) | 2;
}

/** Small int encode/decode. */
export function smi(v: number): number {
  return (v << 1) | 1;
}

// The numeric constants above again, as a const enum: esbuild inlines LY.X as a literal where a file uses it that
// way, so hot code reads no module variable (a module's constants are variables in the host bundle); the exports
// above remain for code outside core/.
export const enum LY {
  NULL = 0,
  NONE = 2,
  FALSE = 6,
  TRUE = 10,
  ELLIPSIS = 14,
  NOT_IMPLEMENTED = 18,
  SMALL_MIN = -1073741824,
  SMALL_MAX = 1073741823,
  TYPE_BASE = 16,
  NATIVE_BASE = 512,
  QSTR_BASE = 8192,
  MARK = 128,
  S_HASH = 1,
  S_BLEN = 2,
  S_CLEN = 3,
  S_DATA = 4,
  SEQ_LEN = 1,
  TUP_ITEMS = 2,
  LIST_ARR = 2,
  D_USED = 1,
  D_NENT = 2,
  D_ENT = 3,
  D_INDEX = 4,
  D_SMALL = 8,
  FN_CODE = 1,
  FN_GLOBALS = 2,
  FN_DEFAULTS = 3,
  FN_KWDEFAULTS = 4,
  FN_CLOSURE = 5,
  FN_ATTRS = 6,
  FN_SIZE = 7,
  CODE_IMG = 1,
  CODE_IDX = 2,
  TY_NAME = 1,
  TY_BASES = 2,
  TY_MRO = 3,
  TY_DICT = 4,
  TY_FLAGS = 5,
  TY_NATIVE = 6,
  TY_QUALNAME = 7,
  TY_META = 8,
  TY_MODULE = 9,
  TY_SIZE = 10,
  TF_GETATTR = 1,
  TF_GETATTRIBUTE = 2,
  TF_SETATTR = 4,
  TF_DESCRIPTORS = 8,
  TF_EXC = 16,
  I_TYPE = 1,
  I_DICT = 2,
  I_NATIVE = 3,
  I_SIZE = 4,
  E_TYPE = 1,
  E_DICT = 2,
  E_ARGS = 3,
  E_TB = 4,
  E_CAUSE = 5,
  E_CONTEXT = 6,
  E_FLAGS = 7,
  E_SIZE = 8,
  B_FUNC = 1,
  B_SELF = 2,
  G_FRAME = 1,
  G_FLAGS = 2,
  G_NAME = 3,
  GF_RUNNING = 1,
  GF_STARTED = 2,
  GF_CORO = 4,
  GF_ASYNCGEN = 8,
  M_NAME = 1,
  M_DICT = 2,
  M_STATIC = 3,
  TB_NEXT = 1,
  TB_CODE = 2,
  TB_IP = 3,
  F_BACK = 1,
  F_CODE = 2,
  F_GLOBALS = 3,
  F_LOCALS = 4,
  F_FUNC = 5,
  F_IP = 6,
  F_SP = 7,
  F_NBLOCKS = 8,
  F_FLAGS = 9,
  F_EXC = 10,
  F_SLOTS = 11,
  FF_EXIT = 1,
  FF_CTOR = 2,
  FF_GEN = 4,
  FF_CLASS = 8,
  FF_DISCARD = 16,
}
