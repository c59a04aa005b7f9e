/**
 * Time as the coordinator sees it: a clock plus one-shot timers. Injected so
 * tests drive session and rebalance timeouts deterministically with
 * `ManualClock` instead of sleeping.
 */

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`, unless cancelled first. */
  setTimer(delayMs: number, callback: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  },
};

interface ManualTimer {
  dueAt: number;
  sequence: number;
  callback: () => void;
}

/** A clock that only moves when told to; timers fire in due order, ties in creation order. */
export class ManualClock implements Clock {
  private current: number;
  private sequence = 0;
  private readonly timers = new Set<ManualTimer>();

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer: ManualTimer = { dueAt: this.current + Math.max(0, delayMs), sequence: this.sequence++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** Timers not yet fired or cancelled (a test can check that nothing leaks). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way,
   * including timers set by the callbacks themselves.
   */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next);
      this.current = next.dueAt;
      next.callback();
    }
    this.current = target;
  }

  private nextDue(limit: number): ManualTimer | undefined {
    let next: ManualTimer | undefined;
    for (const timer of this.timers) {
      if (timer.dueAt > limit) continue;
      if (!next || timer.dueAt < next.dueAt || (timer.dueAt === next.dueAt && timer.sequence < next.sequence)) {
        next = timer;
      }
    }
    return next;
  }
}
