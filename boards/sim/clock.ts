// The simulated board's event loop and clock: Espruino's idle loop in miniature. Input, pin-watch and data events are
// queued and run in order; timers (setTimeout/setInterval in the sandbox, and host-side actions tests schedule) run
// when due; after each round the console gets its prompt back (the caller's onRound). Time is milliseconds since
// power-on.
//
// Real clock: time is the wall clock's. Virtual clock: time stands still while code runs and jumps straight to the
// next timer when the board is idle, so `time.sleep(10)` costs no wall time; each getTime() call in the sandbox moves
// it on by one microsecond (nudge), so code that busy-waits on getTime() still ends. System timers (Espruino's own
// packet and file-transfer timeouts) always run on the wall clock, because they measure the serial line.

export interface SimTimer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
  /** 0 for a timeout, else the interval in ms. */
  interval: number;
  /** A host-side action (tests, --time limits): not cleared by the sandbox's clearTimeout() or reset(). */
  host: boolean;
}

export class SimLoop {
  readonly virtual: boolean;
  /** In virtual mode the clock never jumps past this (Infinity: free-running). */
  horizon = Infinity;
  /** Called after each round of events and timers (Espruino returns the console's prompt there). */
  onRound: (() => void) | null = null;
  /** Called with any exception an event or timer throws (reported on the console as Espruino would). */
  onError: (e: unknown) => void = () => {};
  private vnow = 0;
  private t0 = performance.now();
  private timers: SimTimer[] = [];
  private events: (() => void)[] = [];
  private nextId = 1;
  private seq = 0;
  private pending: "immediate" | "timeout" | null = null;
  private handle: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private sysTimers = new Set<NodeJS.Timeout>();
  private dead = false;
  private waiters: { at: number; resolve: () => void }[] = [];

  constructor(virtual: boolean) {
    this.virtual = virtual;
  }

  /** Milliseconds since power-on. */
  now(): number {
    return this.virtual ? this.vnow : performance.now() - this.t0;
  }

  /** Virtual clock: a getTime() call moves time on a little, so busy-waits end. */
  nudge(): void {
    if (this.virtual) this.vnow += 0.001;
  }

  /** Start counting from zero again (power-on). */
  resetTime(): void {
    this.vnow = 0;
    this.t0 = performance.now();
  }

  /** A sandbox timer (or a host one): returns its id. */
  setTimer(fn: () => void, ms: number, interval: boolean, host = false): number {
    const d = ms > 0 && isFinite(ms) ? ms : 0;
    const t: SimTimer = { id: this.nextId++, due: this.now() + d, seq: this.seq++, fn, interval: interval ? Math.max(d, 0.001) : 0, host };
    this.timers.push(t);
    this.schedule();
    return t.id;
  }

  /** Run a host action at board time `ms` (since power-on), in order with the board's own timers. */
  at(ms: number, fn: () => void): number {
    return this.setTimer(fn, ms - this.now(), false, true);
  }

  clearTimer(id: number): boolean {
    const i = this.timers.findIndex((t) => t.id === id && !t.host);
    if (i < 0) return false;
    this.timers.splice(i, 1);
    return true;
  }

  /** clearTimeout() with no argument, or reset(): every sandbox timer goes. */
  clearAll(): void {
    this.timers = this.timers.filter((t) => t.host);
  }

  changeInterval(id: number, ms: number): boolean {
    const t = this.timers.find((x) => x.id === id && !x.host);
    if (!t) return false;
    if (t.interval) t.interval = Math.max(ms, 0.001);
    t.due = this.now() + Math.max(ms, 0);
    this.schedule();
    return true;
  }

  hasTimer(id: number): boolean {
    return this.timers.some((t) => t.id === id);
  }

  /** Ids of the sandbox's timers (for getTime-free checks in tests). */
  sandboxTimers(): number {
    return this.timers.filter((t) => !t.host).length;
  }

  /** Queue an event (input, a watch callback, a data event): it runs on the next round. */
  post(fn: () => void): void {
    if (this.dead) return;
    this.events.push(fn);
    this.schedule();
  }

  /** A wall-clock timeout that runs as an event (Espruino's packet timeouts). */
  systemTimeout(fn: () => void, ms: number): () => void {
    const h = setTimeout(() => {
      this.sysTimers.delete(h);
      this.post(fn);
    }, ms);
    this.sysTimers.add(h);
    return () => {
      clearTimeout(h);
      this.sysTimers.delete(h);
    };
  }

  /** Resolves when board time reaches `ms` since power-on (virtual or real). */
  until(ms: number): Promise<void> {
    if (this.now() >= ms) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ at: ms, resolve });
      this.at(ms, () => {});
    });
  }

  /** Stop everything: no more rounds, timers or events. */
  stop(): void {
    this.dead = true;
    this.timers = [];
    this.events = [];
    for (const h of this.sysTimers) clearTimeout(h);
    this.sysTimers.clear();
    if (this.handle) {
      if (this.pending === "immediate") clearImmediate(this.handle as NodeJS.Immediate);
      else clearTimeout(this.handle as NodeJS.Timeout);
    }
    this.handle = null;
    this.pending = null;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  get stopped(): boolean {
    return this.dead;
  }

  /** Arrange the next round. */
  schedule(): void {
    if (this.dead) return;
    if (this.pending === "immediate") return;
    let soonest = Infinity;
    for (const t of this.timers) if (t.due < soonest) soonest = t.due;
    const now = this.now();
    let wait = -1; // -1: nothing to do
    if (this.events.length || soonest <= now) wait = 0;
    else if (soonest < Infinity) {
      if (!this.virtual) wait = soonest - now;
      else if (soonest <= this.horizon) wait = 0;
    }
    if (wait < 0) return;
    if (wait === 0) {
      if (this.pending === "timeout") clearTimeout(this.handle as NodeJS.Timeout);
      this.pending = "immediate";
      this.handle = setImmediate(() => this.round());
      return;
    }
    if (this.pending === "timeout") clearTimeout(this.handle as NodeJS.Timeout);
    this.pending = "timeout";
    this.handle = setTimeout(() => this.round(), Math.max(1, Math.ceil(wait)));
  }

  private runGuarded(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onError(e);
    }
  }

  /** One pass of the idle loop. */
  private round(): void {
    this.pending = null;
    this.handle = null;
    if (this.dead) return;
    // events first, in the order they came (new ones posted meanwhile wait for the next round)
    const evs = this.events;
    this.events = [];
    for (const e of evs) {
      if (this.dead) return;
      this.runGuarded(e);
    }
    // the virtual clock jumps to the next timer when nothing is due and no event waits
    if (this.virtual && !this.events.length) {
      let soonest = Infinity;
      for (const t of this.timers) if (t.due < soonest) soonest = t.due;
      if (soonest > this.vnow && soonest <= this.horizon && soonest < Infinity) this.vnow = soonest;
    }
    const now = this.now();
    const due = this.timers.filter((t) => t.due <= now).sort((a, b) => a.due - b.due || a.seq - b.seq);
    for (const t of due) {
      if (this.dead) return;
      if (!this.timers.includes(t)) continue; // cleared by an earlier one
      if (t.interval) {
        t.due += t.interval;
        if (t.due <= now) t.due = now + t.interval;
        t.seq = this.seq++;
      } else this.timers.splice(this.timers.indexOf(t), 1);
      this.runGuarded(t.fn);
    }
    if (this.waiters.length) {
      const n = this.now();
      const ready = this.waiters.filter((w) => w.at <= n);
      this.waiters = this.waiters.filter((w) => w.at > n);
      for (const w of ready) w.resolve();
    }
    if (this.dead) return;
    if (this.onRound) this.runGuarded(this.onRound);
    this.schedule();
  }
}
