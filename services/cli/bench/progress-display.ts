// The live progress bar (stderr, only on a terminal): how much of the measured phase is done,
// which target and round is running, and that target's throughput over the last few seconds.
import cliProgress from 'cli-progress';
import { MIB } from './bench-stats.ts';

/** The "current" rate is taken over this window: long enough to smooth 64 MiB operations. */
const RATE_WINDOW_MS = 3_000;
const REDRAW_MS = 250;

export interface ProgressSource {
  /** Finished operations, bytes and errors of the running slice's target, all slices so far. */
  read(): { ops: number; bytes: number; errors: number };
  /** Done so far, in the bar's unit (ms of measured time, or operations). */
  done(): number;
}

export class ProgressDisplay {
  /** Absent when progress is off: nothing is drawn and no timer runs. */
  private readonly bar: cliProgress.SingleBar | undefined;
  private timer: NodeJS.Timeout | undefined;
  private samples: Array<{ t: number; ops: number; bytes: number }> = [];

  constructor(private readonly total: number, enabled: boolean) {
    // cli-progress itself draws nothing when stderr is not a terminal.
    this.bar = enabled ? new cliProgress.SingleBar({
      format: ' {bar} {percentage}% | {target} round {round} | {rate} | errors {errors}',
      hideCursor: true, clearOnComplete: true, stream: process.stderr,
    }, cliProgress.Presets.shades_classic) : undefined;
  }

  start(): void {
    this.bar?.start(this.total, 0, { target: '…', round: '-', rate: '', errors: 0 });
  }

  /** A new slice: `source` describes its target until the next call. */
  slice(target: string, round: string, source: ProgressSource): void {
    clearInterval(this.timer);
    this.samples = [];
    if (!this.bar) return;
    const bar = this.bar;
    const draw = (): void => {
      const now = performance.now();
      const s = source.read();
      this.samples.push({ t: now, ops: s.ops, bytes: s.bytes });
      while (this.samples.length > 2 && now - this.samples[0]!.t > RATE_WINDOW_MS) this.samples.shift();
      const first = this.samples[0]!;
      const seconds = (now - first.t) / 1000;
      const rate = seconds > 0.2
        ? `${((s.ops - first.ops) / seconds).toFixed(0)} ops/s ${((s.bytes - first.bytes) / MIB / seconds).toFixed(1)} MiB/s` : 'starting';
      bar.update(Math.min(this.total, source.done()), { target, round, rate, errors: s.errors });
    };
    draw();
    this.timer = setInterval(draw, REDRAW_MS);
    this.timer.unref();
  }

  /** The slice is over: no redraw until the next one (its counters are about to move on). */
  endSlice(): void {
    clearInterval(this.timer);
  }

  stop(): void {
    clearInterval(this.timer);
    this.bar?.update(this.total);
    this.bar?.stop();
  }
}
