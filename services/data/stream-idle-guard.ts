// Bounds how long a streaming call may sit still, and turns a client's cancel into an error,
// so a stalled or vanished peer cannot pin a file handle, a reservation or a chunk id.
import type { EventEmitter } from 'node:events';
import { ChunkError } from './chunk-error.ts';

type GuardedCall = EventEmitter & { cancelled: boolean };

export class StreamIdleGuard {
  constructor(
    private readonly call: GuardedCall,
    private readonly idleMs: number,
    private readonly what: string,
  ) {}

  /** `step`, failing with StreamTimedOut after idleMs or with Cancelled if the call is cancelled. */
  race<T>(step: Promise<T>): Promise<T> {
    if (this.call.cancelled) {
      step.catch(() => undefined);
      return Promise.reject(this.cancelledError());
    }
    return new Promise<T>((resolve, reject) => {
      const onCancel = (): void => {
        cleanup();
        reject(this.cancelledError());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new ChunkError('StreamTimedOut', `${this.what} stream idle for more than ${this.idleMs} ms`));
      }, this.idleMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.call.off('cancelled', onCancel);
      };
      this.call.on('cancelled', onCancel);
      step.then(
        (v) => { cleanup(); resolve(v); },
        (err: unknown) => { cleanup(); reject(err); },
      );
    });
  }

  private cancelledError(): ChunkError {
    return new ChunkError('Cancelled', `${this.what} stream cancelled by the client`);
  }
}
