// A request body → the object bytes of each stripe, one buffer per stripe, holding no more
// than the stripe being filled. The body must be exactly `size` bytes: fewer or more is
// IncompleteBody (more is refused as soon as the first extra byte arrives). An error from the
// body itself (a failed checksum, a dropped connection) passes through unchanged.
import { StoreError } from '../errors/store-error.ts';

/**
 * Yields `size` bytes in buffers of `stripeBytes` (the last one shorter). An abort ends it with
 * the abort reason even while the body is stalled (a client that stopped sending is the usual
 * reason to abort).
 */
export async function* bodyStripes(
  body: AsyncIterable<Uint8Array>, size: number, stripeBytes: number, signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const source = signal ? untilAborted(body, signal) : body;
  let received = 0;
  let emitted = 0;
  let stripe: Buffer | null = null;
  let filled = 0;
  for await (const piece of source) {
    received += piece.length;
    if (received > size) {
      throw new StoreError('IncompleteBody', `the body is longer than the ${size} bytes declared`);
    }
    for (let at = 0; at < piece.length;) {
      // Overwritten in full before it is yielded, so unzeroed memory is fine.
      stripe ??= Buffer.allocUnsafe(Math.min(stripeBytes, size - emitted));
      const take = Math.min(stripe.length - filled, piece.length - at);
      stripe.set(piece.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === stripe.length) {
        const full = stripe;
        emitted += full.length;
        stripe = null;
        filled = 0;
        yield full;
      }
    }
  }
  if (received < size) {
    throw new StoreError('IncompleteBody', `the body ended after ${received} of the ${size} bytes declared`);
  }
}

async function* untilAborted(source: AsyncIterable<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    signal.throwIfAborted();
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Ends the body (a Node stream is destroyed) without waiting on a read that may never finish.
    void it.return?.()?.catch(() => {});
  }
}
