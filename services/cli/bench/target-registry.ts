// Every server a bench command started, so that it is stopped whatever happens: at the end, on
// Ctrl-C/SIGTERM (bounded, then exit), and as a last resort in the exit handler (SIGKILL).
export interface Stoppable {
  readonly label: string;
  stop(): Promise<void>;
  killNow(): void;
}

/** Zone processes get 15 s of grace each, in parallel; then they are killed. */
export const TEARDOWN_LIMIT_MS = 30_000;

export class TargetRegistry {
  private readonly running: Stoppable[] = [];
  private readonly onExit = (): void => { for (const s of this.running) s.killNow(); };

  constructor(private readonly log: (line: string) => void) {
    process.on('exit', this.onExit);
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.once(signal, () => {
        this.log(`\n${signal}: stopping what the benchmark started…`);
        void this.stopAll().then(() => process.exit(code));
      });
    }
  }

  add<T extends Stoppable>(s: T): T {
    this.running.push(s);
    return s;
  }

  /** Stops everything started so far, all at once, within TEARDOWN_LIMIT_MS; never throws. */
  async stopAll(): Promise<void> {
    const all = this.running.splice(0);
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      Promise.allSettled(all.map((s) => s.stop())).then(() => true),
      new Promise<boolean>((r) => { timer = setTimeout(() => r(false), TEARDOWN_LIMIT_MS); }),
    ]);
    clearTimeout(timer);
    if (!done) for (const s of all) s.killNow();
  }
}
