/**
 * Named timeouts on a `Clock`: the coordinator's small stand-in for Kafka's
 * purgatories. Setting a name again replaces its timer, which is how a
 * heartbeat pushes a session deadline back.
 */
import type { Clock, Timer } from './clock.ts';

export class Timeouts {
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly clock: Clock) {}

  set(name: string, delayMs: number, onExpire: () => void): void {
    this.clear(name);
    const timer = this.clock.setTimer(delayMs, () => {
      // Only forget the name if it still refers to this timer.
      if (this.timers.get(name) === timer) this.timers.delete(name);
      onExpire();
    });
    this.timers.set(name, timer);
  }

  clear(name: string): void {
    const timer = this.timers.get(name);
    if (!timer) return;
    timer.cancel();
    this.timers.delete(name);
  }

  has(name: string): boolean {
    return this.timers.has(name);
  }

  clearAll(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
