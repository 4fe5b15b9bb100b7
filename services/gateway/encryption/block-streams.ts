// Streaming encryption of one part and streaming decryption of a planned range. Both hold at
// most one block plus what the source last handed over: memory is bounded whatever the size.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { type BlockPlace, decryptBlock, encryptBlock, newNoncePrefix, nonceOf } from './block-cipher.ts';
import { BLOCK_OVERHEAD_BYTES, BLOCK_PLAINTEXT_BYTES, blockCount, blockPlainLength, type RangePlan } from './block-layout.ts';

export interface PartEncryption {
  /** The object's content key (block-cipher contentKey). */
  readonly key: Buffer;
  readonly salt: Buffer;
  /** The part number bound into each block (1 for a PutObject). */
  readonly part: number;
  /** Exactly the plaintext bytes the part has: the block completing them is marked final. */
  readonly plainSize: number;
}

/** A Transform from the part's plaintext to its stored blocks; more bytes than `plainSize` is an error. */
export function encryptingStream(o: PartEncryption): Transform {
  const prefix = newNoncePrefix();
  const blocks = blockCount(o.plainSize);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  let seen = 0;
  const emit = (t: Transform, plain: Buffer): void => {
    const place: BlockPlace = { salt: o.salt, part: o.part, index, final: index === blocks - 1 };
    t.push(encryptBlock(o.key, nonceOf(prefix, index), place, plain));
    index++;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (seen > o.plainSize) {
        cb(new RangeError(`the body has more than the ${o.plainSize} bytes declared`));
        return;
      }
      let at = 0;
      while (at < chunk.length) {
        const want = blockPlainLength(o.plainSize, index) - pendingBytes;
        const take = Math.min(want, chunk.length - at);
        pending.push(chunk.subarray(at, at + take));
        pendingBytes += take;
        at += take;
        if (take === want) {
          const plain = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
          emit(this, plain);
        }
      }
      cb();
    },
    flush(cb: TransformCallback) {
      // A short body: the blocks so far went out; the data path sees too few bytes (IncompleteBody).
      cb();
    },
  });
}

export interface RangeDecryption {
  readonly key: Buffer;
  readonly salt: Buffer;
  readonly plan: RangePlan;
}

/**
 * The plaintext of `plan` from `stored` (exactly the stored bytes plan.stored names). Each block
 * is authenticated before any of its bytes go out; a block that fails, or stored bytes that end
 * early or run long, error the stream.
 */
export function decryptingStream(stored: Readable, o: RangeDecryption): Readable {
  async function* plaintext(): AsyncGenerator<Buffer> {
    const it = stored[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    const take = async (n: number): Promise<Buffer> => {
      while (bufferedBytes < n) {
        const next = await it.next();
        if (next.done) throw new Error(`stored data ended ${n - bufferedBytes} bytes early`);
        const b = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
        buffered.push(b);
        bufferedBytes += b.length;
      }
      const all = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered, bufferedBytes);
      const out = all.subarray(0, n);
      const rest = all.subarray(n);
      buffered = rest.length > 0 ? [rest] : [];
      bufferedBytes = rest.length;
      return out;
    };
    let skip = o.plan.skip;
    let left = o.plan.length;
    try {
      for (const run of o.plan.runs) {
        const blocks = blockCount(run.partPlainSize);
        for (let index = run.first; index <= run.last && left > 0; index++) {
          const storedBlock = await take(blockPlainLength(run.partPlainSize, index) + BLOCK_OVERHEAD_BYTES);
          let plain = decryptBlock(o.key, { salt: o.salt, part: run.part, index, final: index === blocks - 1 }, storedBlock);
          if (skip > 0) {
            plain = plain.subarray(skip);
            skip = 0;
          }
          if (plain.length > left) plain = plain.subarray(0, left);
          left -= plain.length;
          if (plain.length > 0) yield plain;
        }
      }
      if (left !== 0) throw new Error(`the range plan left ${left} bytes unread`);
    } finally {
      await it.return?.();
      stored.destroy();
    }
  }
  return Readable.from(plaintext(), { objectMode: false, highWaterMark: BLOCK_PLAINTEXT_BYTES });
}
