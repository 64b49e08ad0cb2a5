// The Python REPL on the board's console (docs/device.md "The Python REPL"). espy.repl() moves
// Espruino's own REPL to LoopbackA (console.ts) and reads the console's bytes itself:
//   - friendly mode: a line editor (cursor keys, history, Ctrl-A/E/K/U, tab completion, auto-indent), `>>> ` and
//     `... ` prompts, an entry runs when it is complete (MicroPython's rule, see needsMore), Ctrl-C interrupts,
//     Ctrl-D soft-resets (a fresh VM), Ctrl-E paste mode, Ctrl-A raw mode;
//   - raw mode and raw-paste mode with MicroPython's control bytes and framing, so tools written for MicroPython's raw
//     REPL drive it; three more raw-paste commands (`\x05S`, `\x05B`, `\x05C`) let `espy repl` send source to run as a
//     REPL entry, send bytecode compiled on the host (lean image: no compiler on the board), and ask for completions;
//   - ESC ESC DLE (1b 1b 10) in any mode drops the REPL's VM and gives the console back to Espruino's JS REPL.
// On Espruino's Linux build (BOARD "LINUX…"), which exits on byte 04, Ctrl-Z (1a) does whatever Ctrl-D does.
//
// Everything but the two pure helpers lives inside repl(), so the functions and state cost Espruino's blocks only
// while a REPL runs (a function declared at the top level of the bundle is made when the runtime is loaded).
import { G } from "./api";
import { conDevice, conTake, conGive, conWrite } from "./console";
import { newVm, heapFor, stop, compilerFn, timedSlice } from "./runtime";
import type { RunConfig, CompileFn } from "./runtime";
import { initRuntime, beginMain, RUN_SUSPENDED, RUN_ERROR, formatException } from "../../core/index";
import type { Vm } from "../../core/index";
import { NULL, NONE, K, M_DICT, M_STATIC, F_SP, F_IP, QSTR_BASE, imm } from "../../core/vm/layout";
import { kindOf } from "../../core/vm/ops";
import { moduleStaticNames } from "../../core/vm/registry";
import { T } from "../../core/vm/types";
import { raise, PY_EXC } from "../../core/vm/exc";
import { typeOf, isSubtype } from "../../core/obj/type";
import { builtinsModule } from "../../core/modules/builtins";
import { getAttrOrNull } from "../../core/vm/attr";
import { call1 } from "../../core/vm/call";
import { seqItems, seqLen } from "../../core/obj/seq";
import { jstr, internJs, str, bytesFromJs } from "../../core/obj/str";
import { dictGetStr, tableNext, entryKey } from "../../core/obj/dict";

/**
 * Whether a REPL entry (its lines joined with "\n") needs more lines: an unclosed bracket or triple-quoted string, a
 * trailing backslash, or a compound statement whose last line is not blank. MicroPython's rule (py/repl.c), except
 * that a line of spaces counts as blank (auto-indent fills the next line with spaces) and comments are skipped.
 */
export function needsMore(src: string): boolean {
  if (!/\S/.test(src)) return false;
  let depth = 0;
  let q = ""; // the open quote: "", ', ", ''' or """
  for (let i = 0; i < src.length; i++) {
    const c = src.charAt(i);
    if (q) {
      if (c === "\\") i++;
      else if (c === "\n" && q.length === 1) q = "";
      else if (c === q.charAt(0) && src.substr(i, q.length) === q) {
        i += q.length - 1;
        q = "";
      }
    } else if (c === "'" || c === '"') {
      q = src.substr(i, 3) === c + c + c ? c + c + c : c;
      i += q.length - 1;
    } else if (c === "#") {
      while (i + 1 < src.length && src.charAt(i + 1) !== "\n") i++;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
  if (q.length === 3 || depth > 0) return true;
  if (src.charAt(src.length - 1) === "\\") return true;
  const nl = src.lastIndexOf("\n");
  return /^(@|(if|while|for|try|with|def|class|async)\b)/.test(src) && (nl < 0 || /\S/.test(src.substr(nl + 1)));
}

/** The spaces auto-indent puts on the line after `prev`: its indent, 4 more after a `:`, 4 fewer after return/pass… */
export function indentAfter(prev: string): string {
  let n = /^ */.exec(prev)![0].length;
  const code = prev.replace(/#[^'"]*$/, "").replace(/\s+$/, "");
  if (code.charAt(code.length - 1) === ":") n += 4;
  else if (/^\s*(return|pass|break|continue|raise)\b/.test(code)) n = n > 4 ? n - 4 : 0;
  let s = "";
  while (s.length < n) s += " ";
  return s;
}

/** The stop function of the REPL that runs now, if any. */
let active: (() => void) | null = null;

/** What a board without a boot config uses (espy.repl() by hand on a board that never booted espy). */
function defaults(): RunConfig {
  const linux = /^LINUX/.test(G.process.env.BOARD);
  return { heap: linux ? 262144 : 32768, frame: linux ? 16384 : 4096, margin: 300, con: "USB", btn: "", blocks: linux ? 0 : undefined };
}

/**
 * Start the Python REPL on the console (stopping a running program). `cfg` defaults to the boot config
 * (espy.cfg). Returns false if there is no memory for a Python heap.
 */
export function repl(cfg?: RunConfig): boolean {
  if (active) active();
  stop();
  const c: RunConfig = cfg || (G.espy && G.espy.cfg) || defaults();
  const dev = conDevice(c.con);
  // Espruino's Linux build (BOARD "LINUX", or a copy of its board file such as "LINUX_BF") exits on byte 04
  const linux = /^LINUX/.test(G.process.env.BOARD);
  // the modes
  const FRIENDLY = 0;
  const PASTE = 1;
  const RAW = 2;
  const RAWPASTE = 3;
  const RUNNING = 4;
  const WINDOW = 128;
  const KW = "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield";

  let vm: Vm | null = null;
  let mode = FRIENDLY;
  /** The mode to return to after running an entry (FRIENDLY or RAW). */
  let back = FRIENDLY;
  /** Output waiting to be written at the end of this input chunk. */
  let ob = "";
  // the line editor: the entry's finished lines, the current line, the cursor, the prompt, auto-indent just added
  let pre = "";
  let line = "";
  let cur = 0;
  let prompt = ">>> ";
  let autoInd = 0;
  let esc = 0;
  let escArg = "";
  let lastNl = 0;
  const hist: string[] = [];
  let hi = -1;
  /** Held ESC bytes (ESC ESC DLE leaves the REPL). */
  let held = "";
  // raw and raw-paste modes: the command letter, bytes left in the window, the data, whether an EOT ack is due
  let buf = "";
  let cmd = "";
  let remain = 0;
  let ackDue = false;
  // a running entry: the slice timer, recent Ctrl-Cs, console input for input()
  let timer: any = null;
  let ctrlC: number[] = [];
  let inbuf = "";
  /**
   * input() waits for a line: the entry is suspended with a placeholder result on its stack, left by the call
   * instruction of frame `wf` that ends at `wip`; a CR was the last byte typed.
   */
  let waiting = false;
  let wf = 0;
  let wip = 0;
  let cr = false;
  /** Where an escape sequence typed for input() is (escStep): 0 none, 1 after ESC, 2 in its parameters. */
  let tesc = 0;

  /** An escape sequence being skipped (ESC [ or ESC O, digits and ;, a final byte): the state after byte k (0: done). */
  function escStep(e: number, k: number): number {
    if (e === 1) return k === 91 || k === 79 ? 2 : 0;
    return (k >= 48 && k <= 57) || k === 59 ? 2 : 0;
  }

  /** s without its last character (a whole UTF-8 sequence). */
  function unlast(s: string): string {
    let n = s.length;
    while (n > 0 && (s.charCodeAt(n - 1) & 0xc0) === 0x80) n--;
    return s.substr(0, n > 0 ? n - 1 : 0);
  }

  function w(s: string): void {
    ob += s;
  }
  function flush(): void {
    if (ob) dev.write(ob);
    ob = "";
  }
  /** Write text that uses "\n" line ends (tracebacks), now. */
  function text(s: string): void {
    flush();
    const b = G.E.toUint8Array(s);
    conWrite(dev, b, 0, b.length);
  }

  /** A fresh VM (startup and soft reset); false if there is no memory for it. */
  function fresh(): boolean {
    vm = null;
    initRuntime();
    const heap = heapFor(c);
    if (!heap) {
      text("espy: not enough memory for a Python heap\n");
      return false;
    }
    const v = newVm(heap, c.frame < heap >> 2 ? c.frame : heap >> 2, "", dev);
    v.readLine = function (x: Vm) {
      const m = /\r|\n/.exec(inbuf);
      if (m) {
        // a line typed ahead: as typed() would have edited it, echoed after the prompt in friendly mode
        const t = inbuf.substr(0, m.index);
        inbuf = inbuf.substr(m.index + 1);
        let l = "";
        let e = 0;
        for (let i = 0; i < t.length; i++) {
          const k = t.charCodeAt(i);
          if (e) e = escStep(e, k);
          else if (k === 27) e = 1;
          else if (k === 8 || k === 127) l = unlast(l);
          else if (k >= 32) l += t.charAt(i);
        }
        if (back === FRIENDLY) {
          w(l + "\r\n");
          flush();
        }
        return l;
      }
      // no line yet: suspend the entry until one is typed (deliver()), unless called from Python code that native
      // code runs (nested), which cannot wait, or a second time before the entry suspends (sys.stdin.read())
      if (waiting || x.nesting > 0 || mode !== RUNNING) return null;
      waiting = true;
      wf = x.frame;
      wip = x.H[wf + F_IP];
      x.suspended = true;
      return "";
    };
    vm = v;
    return true;
  }

  function banner(): void {
    const e = G.espy || {};
    const cc = e.full || G.require("Storage").read("espy-cc.js") !== undefined;
    w("espy " + (e.version || "") + " on Espruino " + G.process.env.VERSION + "; " + G.process.env.BOARD + ", " + (e.full ? "full" : "lean") + " image" + (cc ? "" : " (no compiler: use espy repl --port)") + "\r\n");
    w("Ctrl-" + (linux ? "Z" : "D") + " soft reset, Ctrl-E paste mode, Esc Esc Ctrl-P back to Espruino's JS console\r\n");
  }

  function newEntry(): void {
    back = FRIENDLY;
    pre = "";
    line = "";
    cur = 0;
    autoInd = 0;
    hi = -1;
    prompt = ">>> ";
    mode = FRIENDLY;
    w(prompt);
  }

  function rawPrompt(banner: boolean): void {
    mode = RAW;
    back = RAW;
    buf = "";
    w((banner ? "raw REPL; CTRL-B to exit\r\n" : "") + ">");
  }

  function softReset(): void {
    flush();
    if (timer) G.clearTimeout(timer);
    timer = null;
    w("espy: soft reboot\r\n");
    flush();
    if (!fresh()) return;
    if (back === RAW) rawPrompt(true);
    else {
      banner();
      newEntry();
    }
  }

  /** Leave the REPL: drop the VM, give the console back to Espruino, with `rest` (input after ESC ESC DLE) for it. */
  function leave(rest: string): void {
    if (timer) G.clearTimeout(timer);
    timer = null;
    vm = null;
    ob = "";
    conGive();
    active = null;
    if (rest && dev.inject) dev.inject(rest);
  }

  // --- running an entry ------------------------------------------------------------------------------------------

  /** The end of an entry: its error report (or ""), then the prompt of the mode it came from. */
  function finish(err: string, reset: boolean): void {
    timer = null;
    waiting = false;
    tesc = 0;
    if (vm) {
      vm.curExc = NONE;
      vm.lastExc = NULL;
      vm.interrupt = false;
    }
    if (back === RAW) {
      w("\x04");
      text(err);
      w("\x04");
    } else text(err);
    if (reset) softReset();
    else if (back === RAW) rawPrompt(false);
    else newEntry();
    // what was typed while the entry ran and input() did not read is typed ahead for the prompt
    const t = inbuf;
    inbuf = "";
    consume(t);
  }

  function step(): void {
    timer = null;
    const v = vm;
    if (!v) return;
    let r: number;
    try {
      r = timedSlice(v);
    } catch (e) {
      v.frame = 0;
      v.ftop = v.fbase;
      v.depth = 0;
      finish("espy: internal error: " + e + "\n", false);
      return;
    }
    if (r === RUN_SUSPENDED) {
      // (the loop leaves the flag set when it returns)
      v.suspended = false;
      if (waiting) return wait(v);
      const ms = v.suspendMs;
      v.suspendMs = 0;
      timer = G.setTimeout(step, ms > 0 ? ms : 0);
      return;
    }
    if (r === RUN_ERROR) {
      const ex = v.lastExc;
      if (isSubtype(v, typeOf(v, ex), imm(T.SYSTEM_EXIT))) finish("", true);
      else finish(formatException(v, ex), false);
    } else finish("", false);
  }

  /** CPython's report of a compile error. */
  function syntaxText(e: any, src: string): string {
    let s = '  File "<stdin>", line ' + e.line + "\n";
    const l = (src.split("\n")[e.line - 1] || "").replace(/\s+$/, "");
    const t = l.replace(/^\s+/, "");
    if (t) {
      let col = e.col - (l.length - t.length);
      if (col < 0) col = 0;
      if (col > t.length) col = t.length;
      s += "    " + t + "\n    ";
      while (col-- > 0) s += " ";
      s += "^\n";
    }
    return s + e.type + ": " + e.msg + "\n";
  }

  /** Run an entry: source compiled here in `how` mode ("single", "exec"), or image bytes (compiled on the host). */
  function run(src: string | null, img: Uint8Array | null, how: string): void {
    flush();
    if (!vm && !fresh()) return finish("", false);
    const v = vm as Vm;
    let bytes = img;
    if (!bytes) {
      let cc: CompileFn | null;
      try {
        cc = compilerFn();
      } catch (e) {
        // espy-cc.js is there but the board has no room for it (parts.ts)
        return finish("espy: " + (e as Error).message + ": use `espy repl --port`, which compiles on the host\n", false);
      }
      if (!cc) return finish("espy: no compiler on this board (lean image without espy-cc.js): use `espy repl --port`\n", false);
      const r: any = cc(src as string, "<stdin>", how);
      if (r.msg !== undefined) return finish(syntaxText(r, src as string), false);
      bytes = r as Uint8Array;
    }
    v.interrupt = false;
    v.pendingThrow = false;
    const ii = beginMain(v, bytes as Uint8Array, src, null);
    if (typeof ii === "string") return finish("espy: bad image: " + ii + "\n", false);
    mode = RUNNING;
    ctrlC = [];
    timer = G.setTimeout(step, 0);
  }

  /** Whether w is a str (an interned one is an immediate). */
  function isStr(v: Vm, w: number): boolean {
    return (w & 3) === 2 ? w >> 2 >= QSTR_BASE : kindOf(v, w) === K.STR;
  }

  /**
   * The entry suspended for input(): it waits for a line if it stopped right after the call that asked for one, with
   * the call's placeholder result on top of the stack ("" from input(), "\n" from readline()). A read from elsewhere
   * (iterating sys.stdin, map(input, …)) already went on with the placeholder: EOFError there instead.
   */
  function wait(v: Vm): void {
    const f = v.frame;
    const top = v.H[v.H[f + F_SP] >> 1];
    const s = isStr(v, top) || kindOf(v, top) === K.BYTES ? jstr(v, top) : null;
    if (f !== wf || v.H[f + F_IP] !== wip || !(s === "\n" || (s === "" && isStr(v, top)))) {
      waiting = false;
      return eof();
    }
    // what was typed ahead (no line end: readLine() would have taken it) is the start of the line, as if typed now
    const t = inbuf;
    inbuf = "";
    cr = false;
    for (let i = 0; i < t.length && waiting; i++) typed(t.charAt(i));
    flush();
  }

  /**
   * A line typed for input() that waits: it replaces the placeholder the call left on the frame's stack (the line for
   * input(), the line and "\n" for readline()), and the entry goes on.
   */
  function deliver(): void {
    const m = /\r|\n/.exec(inbuf);
    if (!waiting || !m) return;
    const l = inbuf.substr(0, m.index);
    inbuf = inbuf.substr(m.index + 1);
    waiting = false;
    const v = vm as Vm;
    const p = v.H[v.frame + F_SP] >> 1;
    const old = v.H[p];
    const s = jstr(v, old) === "" ? l : l + "\n";
    v.H[p] = isStr(v, old) ? str(v, s) : bytesFromJs(v, s);
    timer = G.setTimeout(step, 0);
  }

  /**
   * Console input while an entry runs: the line input() waits for (echoed in friendly mode, backspace edits it, cursor
   * keys are dropped, Ctrl-D on an empty line is EOFError), or typed ahead for input() and the next prompt.
   */
  function typed(c: string): void {
    if (c === "\n" && cr) {
      cr = false;
      return;
    }
    cr = c === "\r";
    if (!waiting) {
      if (inbuf.length < 256) inbuf += c;
      return;
    }
    const echo = back === FRIENDLY;
    const ch = c.charCodeAt(0);
    if (tesc) tesc = escStep(tesc, ch);
    else if (ch === 27) tesc = 1;
    else if (ch === 8 || ch === 127) {
      if (inbuf) {
        inbuf = unlast(inbuf);
        if (echo) w("\b \b");
      }
    } else if (ch === 4 || (ch === 26 && linux)) {
      if (!inbuf) {
        waiting = false;
        eof();
      }
    } else if (ch === 13 || ch === 10) {
      if (echo) w("\r\n");
      inbuf += "\r";
      deliver();
    } else if (ch >= 32 && inbuf.length < 256) {
      inbuf += c;
      if (echo) w(c);
    }
  }

  /** EOFError in the entry where it stands (it waits for a line it will not get). */
  function eof(): void {
    const v = vm as Vm;
    if (back === FRIENDLY) w("\r\n");
    raise(v, T.EOF_ERROR, "EOF when reading a line");
    v.pendingThrow = true;
    timer = G.setTimeout(step, 0);
  }

  /** Ctrl-C while an entry runs: KeyboardInterrupt where it stands; the third within two seconds abandons it. */
  function interrupt(): void {
    const v = vm as Vm;
    const now = G.getTime();
    ctrlC.push(now);
    if (ctrlC.length > 3) ctrlC.shift();
    if (ctrlC.length === 3 && now - ctrlC[0] < 2) {
      if (timer) G.clearTimeout(timer);
      waiting = false;
      v.frame = 0;
      v.ftop = v.fbase;
      v.depth = 0;
      v.excValue = NULL;
      finish("espy: stopped\n", false);
      return;
    }
    if (timer || waiting) {
      if (timer) G.clearTimeout(timer);
      // the traceback starts on a line of its own
      if (waiting && back === FRIENDLY) w("\r\n");
      waiting = false;
      raise(v, T.KEYBOARD_INTERRUPT, null);
      v.pendingThrow = true;
      timer = G.setTimeout(step, 0);
    } else v.interrupt = true;
  }

  // --- completion --------------------------------------------------------------------------------------------------

  /** Names that complete the dotted name at the end of `s` (whole names, sorted), for Tab and the C command. */
  function complete(s: string): string[] {
    if ((!vm && !fresh()) || mode === RUNNING) return [];
    const v = vm as Vm;
    const parts = /[A-Za-z0-9_.]*$/.exec(s)![0].split(".");
    const last = parts.pop() as string;
    const names: string[] = [];
    const add = function (n: string): void {
      if (n.substr(0, last.length) === last && (n.charAt(0) !== "_" || last.charAt(0) === "_") && names.indexOf(n) < 0) names.push(n);
    };
    const b = builtinsModule(v);
    const dict = function (d: number): void {
      for (let i = tableNext(v, d, 0); i >= 0; i = tableNext(v, d, i + 1)) add(jstr(v, entryKey(v, d, i)));
    };
    // a module's names straight from its tables (dir() sorts and dedupes them the slow way); dir() for the rest
    const dir = function (o: number): void {
      if (kindOf(v, o) === K.MODULE) {
        dict(v.H[(o >> 2) + M_DICT]);
        const si = v.H[(o >> 2) + M_STATIC] >> 1;
        if (si >= 0) {
          const ns = moduleStaticNames(v, si);
          for (let i = 0; i < ns.length; i++) add(jstr(v, ns[i]));
        }
        return;
      }
      const l = call1(v, getAttrOrNull(v, b, internJs(v, "dir")), o);
      const p = seqItems(v, l);
      const n = seqLen(v, l);
      for (let i = 0; i < n; i++) add(jstr(v, v.H[p + i]));
    };
    try {
      if (!parts.length) {
        dict(v.mainGlobals);
        dir(b);
        const k = KW.split(" ");
        for (let i = 0; i < k.length; i++) add(k[i]);
      } else {
        let o = dictGetStr(v, v.mainGlobals, internJs(v, parts[0]));
        if (o === NULL) o = getAttrOrNull(v, b, internJs(v, parts[0]));
        for (let i = 1; i < parts.length && o !== NULL; i++) o = getAttrOrNull(v, o, internJs(v, parts[i]));
        if (o === NULL) return [];
        v.tpush(o);
        dir(o);
        v.tpop(1);
      }
    } catch (e) {
      if (e !== PY_EXC) throw e;
      v.excValue = NULL;
      v.frame = 0;
      v.ftop = v.fbase;
      v.depth = 0;
      v.tn = 0;
      return [];
    }
    return names.sort();
  }

  // --- the line editor -------------------------------------------------------------------------------------------

  /** Redraw the current line from the prompt and put the cursor back where it is. */
  function redraw(): void {
    w("\r" + prompt + line + "\x1b[K");
    if (line.length > cur) w("\x1b[" + (line.length - cur) + "D");
  }

  function setLine(l: string): void {
    line = l;
    cur = l.length;
    autoInd = 0;
    redraw();
  }

  function insert(s: string): void {
    line = line.substr(0, cur) + s + line.substr(cur);
    cur += s.length;
    if (cur === line.length) w(s);
    else redraw();
  }

  function tab(): void {
    const before = line.substr(0, cur);
    if (!/[A-Za-z0-9_.]$/.test(before)) return insert("    ");
    const word = /[A-Za-z0-9_]*$/.exec(before)![0];
    const names = complete(before);
    if (!names.length) return;
    // the longest common prefix of the names
    let p = names[0];
    for (let i = 1; i < names.length; i++) while (names[i].substr(0, p.length) !== p) p = p.substr(0, p.length - 1);
    if (p.length > word.length) return insert(p.substr(word.length));
    if (names.length === 1) return;
    // several: list them in 16-character columns, four to a line, then the prompt and line again
    let o = "";
    let col = 64;
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      let gap = Math.ceil(col / 16) * 16 - col;
      if (gap < 2) gap += 16;
      if (col + gap + n.length <= 64) {
        col += gap + n.length;
        while (gap-- > 0) o += " ";
        o += n;
      } else {
        o += "\r\n" + n;
        col = n.length;
      }
    }
    w(o + "\r\n");
    redraw();
  }

  function history(d: number): void {
    const n = hi + d;
    if (n >= hist.length) return;
    hi = n < -1 ? -1 : n;
    setLine(hi < 0 ? "" : hist[hi]);
  }

  function enter(): void {
    w("\r\n");
    if (/\S/.test(line) && hist[0] !== line) {
      hist.unshift(line);
      if (hist.length > 8) hist.pop();
    }
    const src = pre + line;
    if (!pre && !/\S/.test(line)) return newEntry();
    if (needsMore(src)) {
      pre = src + "\n";
      prompt = "... ";
      const ind = indentAfter(line);
      line = ind;
      cur = ind.length;
      autoInd = ind.length;
      hi = -1;
      w(prompt + ind);
      return;
    }
    run(src, null, "single");
  }

  /** Ctrl-D's jobs (also Ctrl-Z on LINUX): soft reset at an empty prompt, run an unfinished block, delete at the cursor. */
  function ctrlD(): void {
    if (line) {
      if (cur < line.length) {
        line = line.substr(0, cur) + line.substr(cur + 1);
        redraw();
      }
    } else if (pre) {
      w("\r\n");
      run(pre, null, "single");
    } else {
      w("\r\n");
      softReset();
    }
  }

  function friendly(ch: number): void {
    const s = String.fromCharCode(ch);
    if (esc) {
      // cursor keys: ESC [ A-D, ESC [ H/F, ESC O H/F, ESC [ n ~
      if (esc === 1) esc = s === "[" ? 2 : s === "O" ? 3 : 0;
      else if (esc === 2 && ch >= 48 && ch <= 57) escArg += s;
      else {
        esc = 0;
        const k = escArg ? escArg + s : s;
        escArg = "";
        if (k === "A") history(1);
        else if (k === "B") history(-1);
        else if (k === "C" && cur < line.length) {
          cur++;
          w("\x1b[C");
        } else if (k === "D" && cur > 0) {
          cur--;
          w("\x1b[D");
        } else if (k === "H" || k === "1~" || k === "7~") {
          cur = 0;
          redraw();
        } else if (k === "F" || k === "4~" || k === "8~") {
          cur = line.length;
          redraw();
        } else if (k === "3~" && cur < line.length) {
          line = line.substr(0, cur) + line.substr(cur + 1);
          redraw();
        }
      }
      return;
    }
    if (ch === 13 || ch === 10) {
      // "\r\n" or "\n\r" is one Enter
      if (lastNl && lastNl !== ch) {
        lastNl = 0;
        return;
      }
      lastNl = ch;
      return enter();
    }
    lastNl = 0;
    const top = !pre && !line;
    if (ch === 1) {
      if (top) {
        w("\r\n");
        return rawPrompt(true);
      }
      cur = 0;
      return redraw();
    }
    if (ch === 2) {
      if (top) {
        w("\r\n");
        banner();
        newEntry();
      }
      return;
    }
    if (ch === 3) {
      w("\r\n");
      return newEntry();
    }
    if (ch === 4 || (ch === 26 && linux)) return ctrlD();
    if (ch === 5) {
      if (top) {
        mode = PASTE;
        buf = "";
        w("\r\npaste mode; Ctrl-C to cancel, Ctrl-" + (linux ? "Z" : "D") + " to finish\r\n=== ");
        return;
      }
      cur = line.length;
      return redraw();
    }
    if (ch === 11) {
      line = line.substr(0, cur);
      return redraw();
    }
    if (ch === 21) {
      line = line.substr(cur);
      cur = 0;
      return redraw();
    }
    if (ch === 16) return history(1);
    if (ch === 14) return history(-1);
    if (ch === 27) {
      esc = 1;
      return;
    }
    if (ch === 8 || ch === 127) {
      if (!cur) return;
      // over indentation, back to the previous multiple of 4
      const n = /^ +$/.test(line.substr(0, cur)) && cur >= 4 ? 4 : 1;
      line = line.substr(0, cur - n) + line.substr(cur);
      cur -= n;
      autoInd = 0;
      if (cur === line.length) w(n === 1 ? "\b \b" : "\x1b[" + n + "D\x1b[K");
      else redraw();
      return;
    }
    if (ch === 9) {
      autoInd = 0;
      return tab();
    }
    if (ch === 32 && autoInd && cur === autoInd && line.length === autoInd) {
      // a space right after auto-indent: the input brings its own indentation (pasted text)
      line = "";
      cur = 0;
      autoInd = 0;
      redraw();
    }
    autoInd = 0;
    if (ch >= 32) insert(s);
  }

  function paste(ch: number): void {
    if (ch === 3) {
      w("\r\n");
      return newEntry();
    }
    if (ch === 4 || (ch === 26 && linux)) {
      w("\r\n");
      return run(buf, null, "exec");
    }
    if (ch === 13 || ch === 10) {
      if (lastNl && lastNl !== ch) {
        lastNl = 0;
        return;
      }
      lastNl = ch;
      buf += "\n";
      w("\r\n=== ");
      return;
    }
    lastNl = 0;
    buf += String.fromCharCode(ch);
    w(String.fromCharCode(ch));
  }

  /** Raw mode: bytes gather silently until Ctrl-D; Ctrl-A after "\x05X" starts raw-paste command X. */
  function raw(d: string, i: number): number {
    const ch = d.charCodeAt(i);
    if (ackDue) {
      ackDue = false;
      if (ch === 4 || ch === 26) return i + 1;
    }
    if (ch === 1) {
      if (buf.length === 2 && buf.charAt(0) === "\x05") {
        cmd = buf.charAt(1);
        buf = "";
        if ("ASBC".indexOf(cmd) < 0) {
          w("R\x00>");
          return i + 1;
        }
        w("R\x01" + String.fromCharCode(WINDOW & 255, WINDOW >> 8) + "\x01");
        remain = WINDOW;
        mode = RAWPASTE;
        return i + 1;
      }
      rawPrompt(true);
      return i + 1;
    }
    if (ch === 2) {
      w("\r\n");
      banner();
      newEntry();
      return i + 1;
    }
    if (ch === 3) {
      buf = "";
      return i + 1;
    }
    if (ch === 4 || (ch === 26 && linux)) {
      w("OK");
      if (!buf) {
        w("\r\n");
        softReset();
      } else run(buf, null, "exec");
      return i + 1;
    }
    // plain bytes up to the next control byte, at once
    let j = i + 1;
    while (j < d.length) {
      const x = d.charCodeAt(j);
      if (x <= 5 || x === 26 || x === 27) break;
      j++;
    }
    buf += d.substring(i, j);
    return j;
  }

  /** Raw-paste data: kept with MicroPython's window flow control until Ctrl-D, then run as command `cmd`. */
  function rawPaste(d: string, i: number): number {
    const ch = d.charCodeAt(i);
    if (ch === 3) {
      w("\x04");
      ackDue = true;
      finish("KeyboardInterrupt\n", false);
      return i + 1;
    }
    if (ch === 4 || (ch === 26 && linux)) {
      w("\x04");
      const data = buf;
      buf = "";
      if (cmd === "C") {
        w(complete(data).join("\n"));
        finish("", false);
      } else if (cmd === "B") {
        let img: Uint8Array | null = null;
        try {
          img = G.E.toUint8Array(G.atob(data));
        } catch (e) {
          img = null;
        }
        if (img) run(null, img, "exec");
        else finish("espy: bad base64 image\n", false);
      } else run(data, null, cmd === "S" ? "single" : "exec");
      return i + 1;
    }
    // data up to the next control byte or the end of the window
    let j = i;
    while (j < d.length && j - i < remain) {
      const x = d.charCodeAt(j);
      if (x === 3 || x === 4 || (x === 26 && linux) || x === 27) break;
      j++;
    }
    if (j === i) {
      // ESC: kept as data (ESC ESC DLE was already taken out)
      j = i + 1;
    }
    buf += d.substring(i, j);
    remain -= j - i;
    while (remain <= 0) {
      w("\x01");
      remain += WINDOW;
    }
    return j;
  }

  /** Console input: ESC ESC DLE taken out, the rest given to the mode's handler. */
  function consume(d: string): void {
    let i = 0;
    while (i < d.length) {
      const ch = d.charCodeAt(i);
      // ESC ESC DLE: back to Espruino's JS console, whatever the mode; a held ESC that is not followed by ESC DLE
      // goes on as input
      if (ch === 27) {
        held += "\x1b";
        if (held.length > 2) {
          held = "\x1b\x1b";
          feed(held, 0);
        }
        i++;
        continue;
      }
      if (held) {
        if (ch === 16 && held.length === 2) {
          leave(d.substr(i + 1));
          return;
        }
        const h = held;
        held = "";
        for (let k = 0; k < h.length; ) k = feed(h, k);
      }
      i = feed(d, i);
    }
    flush();
  }

  /** Give one mode the input at d[i]; the index after what it took. */
  function feed(d: string, i: number): number {
    if (mode === RUNNING) {
      const ch = d.charCodeAt(i);
      if (ch === 3) interrupt();
      else typed(d.charAt(i));
      return i + 1;
    }
    if (mode === RAW) return raw(d, i);
    if (mode === RAWPASTE) return rawPaste(d, i);
    if (mode === PASTE) paste(d.charCodeAt(i));
    else friendly(d.charCodeAt(i));
    return i + 1;
  }

  if (!fresh()) {
    flush();
    return false;
  }
  active = function () {
    leave("");
  };
  conTake(dev, consume);
  banner();
  newEntry();
  flush();
  return true;
}
