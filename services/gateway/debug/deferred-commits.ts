// The unsafe ack-before-commit fault's background half: manifest commits run a fixed delay after
// the client was already answered. Timers are tracked so a stopping gateway cancels them (a
// commit after stop would only fail against a closed meta client); a failed late commit is
// logged, since nobody is left to tell.
import type { Logger } from 'pino';

export class DeferredCommits {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(readonly delayMs: number, private readonly log: Logger) {}

  /** Runs `commit` after the delay; `about` names the write in the log. */
  defer(about: Record<string, string>, commit: () => Promise<unknown>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      commit().then(
        () => this.log.debug(about, 'unsafe: late manifest commit done'),
        (err: unknown) => this.log.error({ ...about, err }, 'unsafe: late manifest commit failed after the PUT was acknowledged'),
      );
    }, this.delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Commits not yet started never will be (the writes they stand for are lost). */
  close(): number {
    this.closed = true;
    const dropped = this.timers.size;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return dropped;
  }
}
