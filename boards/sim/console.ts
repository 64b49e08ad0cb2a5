// Espruino's JS console, as src/jsinteractive.c does it (../shared/docs/espruino.md §4, §5): the `>` prompt, echo of
// typed characters, `:` continuation lines while brackets are open, `=value` after a line, `\x10` (DLE) at the start
// of a line for a line without echo, echo(0), Ctrl-C clearing the line, ENQ (Ctrl-E) answering with the version,
// Alt-Enter (ESC LF) for a newline without running, and the binary packets (DLE SOH, 16-bit header of 3-bit type and
// 13-bit length): EVAL, EVENT, FILE_SEND, DATA and FILE_RECV, each answered with ACK (06) or NAK (15).
//
// The prompt logic is Espruino's: printing anything first removes the shown input line (jsiConsoleRemoveInputLine:
// cursor left over it, `\r`, ESC[J) and the idle loop puts it back (jsiConsoleReturnInputLine: `>` and the line).
import type { SimStorage } from "./storage";
import { heatshrinkDecode, parseLiberal, toJS, espruinoJson, REPL_FLAGS, bytesOf, strOf } from "./format";

export const ACK = "\x06";
export const NAK = "\x15";

const PT_RESPONSE = 0x0000;
const PT_EVAL = 0x2000;
const PT_EVENT = 0x4000;
const PT_FILE_SEND = 0x6000;
const PT_DATA = 0x8000;
const PT_FILE_RECV = 0xa000;
const PT_TYPE_MASK = 0xe000;
const PT_SIZE_MASK = 0x1fff;

const enum S {
  NONE,
  HAD_27,
  HAD_27_79,
  HAD_27_91,
  HAD_27_91_NUMBER,
  HAD_DLE,
  PK_BYTE0,
  PK_BYTE1,
  PK_DATA,
}

/** The result of evaluating JS in the sandbox. */
export type EvalResult = { ok: true; value: unknown } | { ok: false; error: unknown; interrupted: boolean };

/** What the console needs from the board. */
export interface ConsoleHost {
  /** Raw bytes to the current console device. */
  transmit(s: string): void;
  evaluate(code: string, what: string): EvalResult;
  storage: SimStorage;
  /** Run E's listeners for an event; false when there were none. */
  emitE(event: string, arg: unknown): boolean;
  /** A wall-clock timeout (packet timeouts); returns a canceller. */
  systemTimeout(fn: () => void, ms: number): () => void;
  /** "Espruino 2v29 PUCKJS" for ENQ. */
  ident(): string;
  /** Espruino's Linux build: two Ctrl-C on an empty line within 5 s exit it. */
  linux: boolean;
  /** The Linux build exits (Ctrl-C twice). */
  exit(why: string): void;
  /** Milliseconds of board time (for the Linux build's Ctrl-C rule). */
  now(): number;
}

/**
 * Node's wording of the errors JS commonly makes, in Espruino's (checked against its Linux build, 2v29):
 * `"x" is not defined`, `Can't read property 'x' of null` (a plain Error there), `Function "f" not found!`.
 */
function espruinoMessage(name: string, msg: string): [string, string] {
  let m = /^(\S+) is not defined$/.exec(msg);
  if (name === "ReferenceError" && m) return [name, '"' + m[1] + '" is not defined'];
  m = /^Cannot read properties of (null|undefined) \(reading '(.*)'\)$/.exec(msg);
  if (name === "TypeError" && m) return ["Error", "Can't read property '" + m[2] + "' of " + m[1]];
  m = /^(?:\S+\.)?([\w$]+) is not a function$/.exec(msg);
  if (name === "TypeError" && m) return ["Error", 'Function "' + m[1] + '" not found!'];
  return [name, msg];
}

/** How a thrown value looks after "Uncaught ". */
export function errorText(e: unknown): string {
  if (e && typeof e === "object") {
    const o = e as { name?: unknown; message?: unknown };
    if (typeof o.message === "string") {
      const nm = espruinoMessage(typeof o.name === "string" && o.name ? o.name : "Error", o.message);
      return nm[0] + ": " + nm[1];
    }
  }
  if (typeof e === "string") return e;
  return espruinoJson(e, REPL_FLAGS);
}

/** Count open brackets the way jsiCountBracketsInInput does: unfinished strings run now, unfinished comments wait. */
export function countBrackets(src: string): number {
  let depth = 0;
  let i = 0;
  let prev = ""; // last significant token kind, to tell a regex from a division
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === "/" && src.charAt(i + 1) === "/") {
      while (i < src.length && src.charAt(i) !== "\n") i++;
      continue;
    }
    if (c === "/" && src.charAt(i + 1) === "*") {
      const e = src.indexOf("*/", i + 2);
      if (e < 0) return 1000;
      i = e + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src.charAt(j) !== c) {
        if (src.charAt(j) === "\\") j++;
        else if (src.charAt(j) === "\n" && c !== "`") break;
        j++;
      }
      if (j >= src.length || src.charAt(j) !== c) return c === "`" ? 1000 : 0;
      i = j + 1;
      prev = "v";
      continue;
    }
    if (c === "/" && (prev === "" || prev === "o")) {
      // a regular expression literal
      let j = i + 1;
      let cls = false;
      while (j < src.length && src.charAt(j) !== "\n") {
        const d = src.charAt(j);
        if (d === "\\") j++;
        else if (d === "[") cls = true;
        else if (d === "]") cls = false;
        else if (d === "/" && !cls) break;
        j++;
      }
      i = j + 1;
      prev = "v";
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth < 0) return depth;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[\w$]/.test(c)) {
      let j = i;
      while (j < src.length && /[\w$]/.test(src.charAt(j))) j++;
      const word = src.substring(i, j);
      prev = /^(return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else)$/.test(word) ? "o" : "v";
      i = j;
      continue;
    }
    prev = c === ")" || c === "]" || c === "}" ? "v" : "o";
    i++;
  }
  return depth;
}

export class EspruinoConsole {
  /** echo(0) turns this off. */
  echoOff = false;
  private echoOffForLine = false;
  private inputLine = "";
  private cursor = 0;
  private inputLineRemoved = false;
  private state: S = S.NONE;
  private stateNumber = 0;
  private ctrlC = false;
  private lastCtrlC = -1e9;
  // packets
  private pkLength = 0;
  private pkData: number[] = [];
  private pkSavedLine = "";
  private pkCancelTimeout: (() => void) | null = null;
  private file: { fn: string; s: number; offs: number; c: boolean } | null = null;
  private fileCancelTimeout: (() => void) | null = null;
  private readonly host: ConsoleHost;

  constructor(host: ConsoleHost) {
    this.host = host;
  }

  // --- output ---------------------------------------------------------------------------------------------------------

  /** jsiEcho(): echo on and not turned off for this line. */
  echo(): boolean {
    return !this.echoOff && !this.echoOffForLine;
  }

  private showInputLine(): boolean {
    return this.echo() && !this.inputLineRemoved;
  }

  /** Console text: "\n" goes out as "\r\n". */
  print(s: string): void {
    if (s) this.host.transmit(s.replace(/\n/g, "\r\n"));
  }

  private printRaw(s: string): void {
    this.host.transmit(s);
  }

  /** The cursor moves between two positions in the input line (jsiMoveCursorChar). */
  private moveCursor(from: number, to: number): void {
    if (from === to) return;
    const pos = (i: number) => {
      const before = this.inputLine.substr(0, i);
      const nl = before.lastIndexOf("\n");
      return { line: before.split("\n").length - 1, col: i - (nl + 1) };
    };
    const a = pos(from);
    const b = pos(to);
    let s = "";
    for (let x = a.col; x < b.col; x++) s += "\x1b[C";
    for (let x = a.col; x > b.col; x--) s += "\x1b[D";
    for (let y = a.line; y < b.line; y++) s += "\x1b[B";
    for (let y = a.line; y > b.line; y--) s += "\x1b[A";
    this.printRaw(s);
  }

  /** Take the shown input line off the terminal before printing something else. */
  removeInputLine(): void {
    if (this.inputLineRemoved) return;
    this.inputLineRemoved = true;
    if (this.echo()) {
      this.moveCursor(this.cursor, 0);
      this.printRaw("\r\x1b[J");
    }
  }

  /** Put the prompt and input line back (the idle loop does this after each round). */
  returnInputLine(): void {
    if (!this.inputLineRemoved) return;
    this.inputLineRemoved = false;
    if (this.echo()) {
      this.printRaw(">" + this.inputLine.replace(/\n/g, "\r\n:"));
      this.moveCursor(this.inputLine.length, this.cursor);
    }
  }

  /** Output from the program (print, console.log, errors): the input line makes way for it. */
  output(s: string): void {
    this.removeInputLine();
    this.print(s);
  }

  /** "Uncaught …" for an exception (jsiCheckErrors). */
  reportError(e: unknown, interrupted = false): void {
    this.removeInputLine();
    if (interrupted) this.print("Execution Interrupted\n");
    else this.print("Uncaught " + errorText(e) + "\n");
  }

  private clearInputLine(update: boolean): void {
    if (this.inputLine === "") return;
    if (update) this.removeInputLine();
    this.inputLine = "";
    this.cursor = 0;
  }

  /** The device that was the console moves elsewhere (jsiSetConsoleDevice): its messages, if echo is on. */
  switching(): boolean {
    const e = this.echo();
    if (e) this.removeInputLine();
    return e;
  }

  get inPacket(): boolean {
    return this.state === S.PK_BYTE0 || this.state === S.PK_BYTE1 || this.state === S.PK_DATA;
  }

  /** Whether a line is being typed (for tests). */
  get line(): string {
    return this.inputLine;
  }

  // --- input ----------------------------------------------------------------------------------------------------------

  /** Bytes that arrived on the console device, in order. */
  input(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i) & 255;
      if (ch === 3 && !this.inPacket) this.ctrlC = true; // jsiCtrlC, from the receive interrupt
      this.handleChar(ch);
    }
  }

  /** End of an idle-loop round (jsiLoop): Ctrl-C clears the line, then the prompt comes back. */
  endOfRound(): void {
    if (this.ctrlC && !this.inPacket) {
      this.ctrlC = false;
      if (this.inputLine === "" && this.host.linux) {
        if (this.host.now() - this.lastCtrlC < 5000) {
          this.host.exit("Ctrl-C twice on an empty line");
          return;
        }
        this.removeInputLine();
        this.print("Press Ctrl-C again to exit\n");
        this.lastCtrlC = this.host.now();
      }
      this.clearInputLine(true);
    }
    this.returnInputLine();
  }

  private append(str: string): void {
    if (this.cursor >= this.inputLine.length) {
      this.inputLine += str;
    } else {
      this.inputLine = this.inputLine.substr(0, this.cursor) + str + this.inputLine.substr(this.cursor);
      if (this.showInputLine()) {
        const rest = this.inputLine.substr(this.cursor);
        const eol = rest.indexOf("\n");
        const shown = eol < 0 ? rest : rest.substr(0, eol);
        this.printRaw(shown + " " + "\x08".repeat(shown.length + 1));
      }
    }
    this.cursor += str.length;
    if (this.showInputLine()) this.print(str);
  }

  private handleDelete(backspace: boolean): void {
    const l = this.inputLine.length;
    if (backspace && this.cursor === 0) return;
    if (!backspace && this.cursor >= l) return;
    const p = backspace ? this.cursor - 1 : this.cursor;
    const delNewline = this.inputLine.charAt(p) === "\n";
    if (delNewline && this.showInputLine()) {
      this.printRaw("\x1b[J");
      if (backspace) {
        this.printRaw("\x08 ");
        this.moveCursor(this.cursor, this.cursor - 1);
      }
    }
    this.inputLine = this.inputLine.substr(0, p) + this.inputLine.substr(p + 1);
    if (backspace) this.cursor--;
    if (this.showInputLine()) {
      if (delNewline) {
        this.printRaw(this.inputLine.substr(this.cursor).replace(/\n/g, "\r\n:"));
        this.moveCursor(this.inputLine.length, this.cursor);
      } else {
        if (backspace) this.printRaw("\x08");
        const rest = this.inputLine.substr(this.cursor);
        const eol = rest.indexOf("\n");
        const shown = eol < 0 ? rest : rest.substr(0, eol);
        this.printRaw(shown + " " + "\x08".repeat(shown.length + 1));
      }
    }
  }

  private atEnd(): boolean {
    return /^\s*$/.test(this.inputLine.substr(this.cursor));
  }

  private handleNewLine(execute: boolean): void {
    if (!this.atEnd()) {
      // a newline in the middle of the line splits it
      if (this.showInputLine()) this.printRaw("\x1b[J");
      this.inputLine = this.inputLine.substr(0, this.cursor) + "\n" + this.inputLine.substr(this.cursor);
      if (this.showInputLine()) {
        this.printRaw(this.inputLine.substr(this.cursor).replace(/\n/g, "\r\n:"));
        this.moveCursor(this.inputLine.length, this.cursor + 1);
      }
      this.cursor++;
      return;
    }
    if (execute && countBrackets(this.inputLine) <= 0) {
      if (this.showInputLine()) this.print("\n");
      if (!this.echoOffForLine) this.inputLineRemoved = true;
      const line = this.inputLine.replace(/\s+$/, "");
      this.clearInputLine(false);
      const r = this.host.evaluate(line, "REPL");
      const isEmpty = line === "";
      if (r.ok) {
        if (this.echo() && !isEmpty) this.print("=" + espruinoJson(r.value, REPL_FLAGS) + "\n");
      } else this.reportError(r.error, r.interrupted);
      this.echoOffForLine = false;
    } else {
      if (this.showInputLine()) this.print("\n:");
      this.inputLine += "\n";
      this.cursor = this.inputLine.length;
    }
  }

  private handleChar(ch: number): void {
    const st = this.state;
    if (st === S.PK_BYTE0) {
      if (this.inputLine === "") this.echoOffForLine = false;
      this.pkLength = ch << 8;
      this.state = S.PK_BYTE1;
      return;
    }
    if (st === S.PK_BYTE1) {
      this.pkLength |= ch;
      this.pkData = [];
      if ((this.pkLength & PT_SIZE_MASK) === 0) this.packetProcess();
      else this.state = S.PK_DATA;
      return;
    }
    if (st === S.PK_DATA) {
      this.pkData.push(ch);
      if (this.pkData.length >= (this.pkLength & PT_SIZE_MASK)) this.packetProcess();
      return;
    }
    if (ch === 0) {
      this.state = S.NONE;
    } else if (ch === 1) {
      if (st === S.HAD_DLE) this.packetStart();
    } else if (ch === 3) {
      // Ctrl-C is dealt with at the end of the round
    } else if (ch === 5) {
      if (this.inputLine === "") this.print(this.host.ident() + "\n");
    } else if (ch === 16) {
      if (this.inputLine === "") this.echoOffForLine = true;
      this.state = S.HAD_DLE;
    } else if (ch === 27) {
      this.state = S.HAD_27;
    } else if (st === S.HAD_27) {
      this.state = S.NONE;
      if (ch === 79) this.state = S.HAD_27_79;
      else if (ch === 91) this.state = S.HAD_27_91;
      else if (ch === 10) this.handleNewLine(false);
    } else if (st === S.HAD_27_79) {
      this.state = S.NONE;
      if (ch === 70) this.end();
      else if (ch === 72) this.home();
      else if (ch === 77) this.handleChar(13);
    } else if (st === S.HAD_27_91) {
      this.state = S.NONE;
      if (ch >= 48 && ch <= 57) {
        this.stateNumber = ch - 48;
        this.state = S.HAD_27_91_NUMBER;
      } else if (ch === 68) {
        if (this.cursor > 0 && this.inputLine.charAt(this.cursor - 1) !== "\n") {
          this.cursor--;
          if (this.showInputLine()) this.printRaw("\x1b[D");
        }
      } else if (ch === 67) {
        if (this.cursor < this.inputLine.length && this.inputLine.charAt(this.cursor) !== "\n") {
          this.cursor++;
          if (this.showInputLine()) this.printRaw("\x1b[C");
        }
      } else if (ch === 70) this.end();
      else if (ch === 72) this.home();
      // up/down (history) are not kept by the simulator
    } else if (st === S.HAD_27_91_NUMBER) {
      if (ch >= 48 && ch <= 57) this.stateNumber = this.stateNumber * 10 + ch - 48;
      else {
        if (ch === 126) {
          if (this.stateNumber === 1) this.home();
          else if (this.stateNumber === 3) this.handleDelete(false);
          else if (this.stateNumber === 4) this.end();
        } else if (ch === 72 && this.stateNumber === 2) this.clearInputLine(true);
        this.state = S.NONE;
      }
    } else {
      this.state = S.NONE;
      if (ch === 8 || ch === 0x7f) this.handleDelete(true);
      else if (ch === 13 || ch === 10) {
        // Espruino means to skip the \n of \r\n (IPS_HAD_R) but has already reset its state, so an empty line runs
        this.handleNewLine(true);
      } else if (ch >= 32 || ch === 9) this.append(ch === 9 ? "    " : String.fromCharCode(ch));
    }
  }

  private home(): void {
    while (this.cursor > 0 && this.inputLine.charAt(this.cursor - 1) !== "\n") {
      if (this.showInputLine()) this.printRaw("\x08");
      this.cursor--;
    }
  }

  private end(): void {
    while (this.cursor < this.inputLine.length && this.inputLine.charAt(this.cursor) !== "\n") {
      if (this.showInputLine()) this.printRaw(this.inputLine.charAt(this.cursor));
      this.cursor++;
    }
  }

  // --- packets --------------------------------------------------------------------------------------------------------

  private packetStart(): void {
    this.state = S.PK_BYTE0;
    this.pkSavedLine = this.inputLine;
    this.inputLine = "";
    this.pkCancelTimeout = this.host.systemTimeout(() => {
      this.pkCancelTimeout = null;
      this.printRaw(NAK);
      this.packetExit();
    }, 5000);
  }

  private packetExit(): void {
    this.state = S.NONE;
    this.pkLength = 0;
    this.pkData = [];
    if (this.pkCancelTimeout) this.pkCancelTimeout();
    this.pkCancelTimeout = null;
    this.inputLine = this.pkSavedLine;
    this.pkSavedLine = "";
  }

  /** A response packet: DLE SOH, type|length, data (jsiPacketReply prints the data as console text). */
  private reply(type: number, data: string | null): void {
    const len = type | (data ? data.length : 0);
    this.printRaw("\x10\x01" + String.fromCharCode(len >> 8, len & 255));
    if (data) this.print(data);
  }

  private fileEnd(): void {
    this.file = null;
    if (this.fileCancelTimeout) this.fileCancelTimeout();
    this.fileCancelTimeout = null;
  }

  private fileTimeout(): void {
    if (this.fileCancelTimeout) this.fileCancelTimeout();
    this.fileCancelTimeout = this.host.systemTimeout(() => {
      this.fileCancelTimeout = null;
      this.fileEnd();
    }, 10000);
  }

  private packetProcess(): void {
    const type = this.pkLength & PT_TYPE_MASK;
    const data = strOf(this.pkData);
    const st = this.host.storage;
    if (type === PT_EVAL) {
      const r = this.host.evaluate(data, "EVAL");
      if (!r.ok) {
        this.removeInputLine();
        this.printRaw(NAK);
        this.reportError(r.error, r.interrupted);
      } else {
        this.printRaw(ACK);
        this.reply(PT_RESPONSE, toJS(r.value));
      }
    } else if (type === PT_EVENT) {
      const o = parseLiberal(data);
      let ok = !!o && typeof o === "object" && !Array.isArray(o);
      if (ok) ok = this.host.emitE("packet", o);
      this.printRaw(ok ? ACK : NAK);
    } else if (type === PT_FILE_RECV) {
      const o = parseLiberal(data) as { fn?: unknown; fs?: unknown } | undefined;
      let ok = !!o && typeof o === "object" && typeof o.fn === "string" && !o.fs;
      if (ok) {
        const b = st.read(o!.fn as string);
        if (!b) ok = false;
        else {
          this.printRaw(ACK);
          for (let i = 0; i < b.length; i += 1024) this.reply(PT_DATA, strOf(b.subarray(i, i + 1024)));
          this.reply(PT_DATA, null);
        }
      }
      if (!ok) this.printRaw(NAK);
    } else if (type === PT_FILE_SEND) {
      this.fileEnd();
      const o = parseLiberal(data) as { fn?: unknown; s?: unknown; fs?: unknown; c?: unknown } | undefined;
      let ok = !!o && typeof o === "object" && typeof o.fn === "string";
      if (ok) ok = Math.floor(Number(o!.s) || 0) !== 0;
      if (ok && o!.fs) ok = false; // no FAT filesystem on these boards
      if (ok) {
        this.file = { fn: o!.fn as string, s: Math.floor(Number(o!.s)), offs: 0, c: !!o!.c };
        this.fileTimeout();
      }
      this.printRaw(ok ? ACK : NAK);
    } else if (type === PT_DATA) {
      const f = this.file;
      if (!f) this.printRaw(NAK);
      else {
        let bytes: Uint8Array = Uint8Array.from(this.pkData);
        if (f.c) bytes = heatshrinkDecode(bytes);
        let err: unknown = null;
        try {
          st.write(f.fn, bytes, f.offs, f.s);
        } catch (e) {
          err = e;
          this.removeInputLine();
        }
        f.offs += bytes.length;
        if (f.offs >= f.s) this.fileEnd();
        else this.fileTimeout();
        this.host.emitE("packetUpload", { l: this.pkData.length, o: f.offs, s: f.s, fn: f.fn });
        // Espruino acknowledges the packet even when the write failed, then reports the error
        this.printRaw(ACK);
        if (err) this.reportError(err);
      }
    } else this.printRaw(NAK);
    this.packetExit();
  }

  /** reset(): a fresh line, echo on. */
  reset(): void {
    this.fileEnd();
    if (this.pkCancelTimeout) this.pkCancelTimeout();
    this.pkCancelTimeout = null;
    this.state = S.NONE;
    this.inputLine = "";
    this.cursor = 0;
    this.echoOff = false;
    this.echoOffForLine = false;
    this.ctrlC = false;
  }

  /** For tests: bytes of a packet of this type and data (what a host tool sends). */
  static packet(type: "EVAL" | "EVENT" | "FILE_SEND" | "DATA" | "FILE_RECV", data: string | Uint8Array): string {
    const t = { EVAL: PT_EVAL, EVENT: PT_EVENT, FILE_SEND: PT_FILE_SEND, DATA: PT_DATA, FILE_RECV: PT_FILE_RECV }[type];
    const d = typeof data === "string" ? data : strOf(data);
    if (d.length > PT_SIZE_MASK) throw new Error("a packet holds at most 8191 bytes");
    const n = t | d.length;
    return "\x10\x01" + String.fromCharCode(n >> 8, n & 255) + d;
  }
}

export { bytesOf };
