// A request body → the object bytes of each stripe, one buffer per stripe, holding no more
// than the stripe being filled. The body must be exactly `size` bytes: fewer or more is
// IncompleteBody (more is refused as soon as the first extra byte arrives). An error from the
// body itself (a failed checksum, a dropped connection) passes through unchanged.
import { StoreError } from '../errors/store-error.ts';

/** Yields `size` bytes in buffers of `stripeBytes` (the last one shorter). */
export async function* bodyStripes(
  source: AsyncIterable<Uint8Array>, size: number, stripeBytes: number,
): AsyncGenerator<Uint8Array> {
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
