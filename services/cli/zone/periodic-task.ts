// Runs an async job, pauses, runs it again — never two at once — until stopped; stop() waits
// for a run in progress. A failed run is logged and the next one comes as usual.
import type { Logger } from 'pino';

export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private halted = false;

  constructor(
    private readonly job: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly failureMessage: string,
  ) {}

  get stopped(): boolean {
    return this.halted;
  }

  /** The first run starts at once. */
  start(): void {
    if (this.halted || this.running || this.timer) return;
    this.runNow();
  }

  async stop(): Promise<void> {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private runNow(): void {
    this.timer = null;
    this.running = this.job().catch((err: unknown) => {
      if (!this.halted) this.log.warn({ err: (err as Error).message }, this.failureMessage);
    }).finally(() => {
      this.running = null;
      if (!this.halted) this.timer = setTimeout(() => this.runNow(), this.intervalMs);
    });
  }
}
