// One direction of one proxied connection: bytes read from a source socket wait in a queue until
// their link mode lets them out to the sink. The queue is bounded: past `maxBufferedBytes` the
// source is paused (TCP backpressure reaches the sender), and it resumes below half of that.
// The sender's FIN travels through the queue too, so a held direction also holds its close.
import type { Socket } from 'node:net';
import type { LinkMode } from './link-mode.ts';

interface Queued {
  /** null: the source's end (FIN), forwarded as the sink's end once everything before it is out. */
  data: Buffer | null;
  /** When it may go out; Infinity while held. */
  due: number;
}

export interface PipeHooks {
  /** The direction's mode now (it changes under the pipe; `remode` is called when it does). */
  mode(): LinkMode;
  /** A delay draw for a chunk arriving now under a `delay` mode (ms, jitter included). */
  delayMs(mode: Extract<LinkMode, { kind: 'delay' }>): number;
  /** Bytes met a `reset` mode: the connection must be reset. */
  reset(): void;
  /** Bytes handed to the sink (for the proxy's counters). */
  delivered(bytes: number): void;
}

export class ProxyPipe {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private lastDue = 0;
  private sink: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private waitingForDrain = false;
  private pausedSource = false;
  private closed = false;

  constructor(private readonly source: Socket, private readonly maxBufferedBytes: number, private readonly hooks: PipeHooks) {}

  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  /** The sink may come later than the source (an upstream connection made once a link heals). */
  attachSink(sink: Socket): void {
    this.sink = sink;
    this.pump();
  }

  push(data: Buffer): void {
    if (this.closed) return;
    this.enqueue(data, data.length);
    if (this.queuedBytes > this.maxBufferedBytes && !this.pausedSource) {
      this.pausedSource = true;
      this.source.pause();
    }
  }

  end(): void {
    if (!this.closed) this.enqueue(null, 0);
  }

  /** The mode changed: re-time what is still queued under the new one. */
  remode(): void {
    if (this.closed) return;
    const mode = this.hooks.mode();
    if (mode.kind === 'reset') {
      if (this.queue.length > 0) this.hooks.reset();
      return;
    }
    const now = performance.now();
    this.lastDue = 0;
    for (const q of this.queue) q.due = this.dueFor(mode, now);
    this.pump();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private enqueue(data: Buffer | null, bytes: number): void {
    const mode = this.hooks.mode();
    if (mode.kind === 'reset') {
      this.hooks.reset();
      return;
    }
    this.queue.push({ data, due: this.dueFor(mode, performance.now()) });
    this.queuedBytes += bytes;
    this.pump();
  }

  /** Due times never go backwards, so a jittered delay cannot reorder the stream. */
  private dueFor(mode: LinkMode, now: number): number {
    if (mode.kind === 'drop') return Infinity;
    const due = Math.max(this.lastDue, mode.kind === 'delay' ? now + this.hooks.delayMs(mode) : now);
    this.lastDue = due;
    return due;
  }

  private pump(): void {
    if (this.closed || !this.sink || this.waitingForDrain) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const sink = this.sink;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      const { data } = this.queue.shift()!;
      if (data === null) {
        sink.end();
        continue;
      }
      this.queuedBytes -= data.length;
      this.hooks.delivered(data.length);
      if (!sink.write(data)) {
        this.waitingForDrain = true;
        sink.once('drain', () => {
          this.waitingForDrain = false;
          this.pump();
        });
        break;
      }
    }
    if (this.pausedSource && this.queuedBytes <= this.maxBufferedBytes / 2) {
      this.pausedSource = false;
      this.source.resume();
    }
    const head = this.queue[0];
    if (!this.waitingForDrain && head && Number.isFinite(head.due)) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, Math.max(0, Math.ceil(head.due - now)));
    }
  }
}
