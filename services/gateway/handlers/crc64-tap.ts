// CRC-64/ECMA (OSS's x-oss-hash-crc64ecma) of the bytes flowing into the data path, for every
// object written in either dialect, so an object written through S3 reads back through OSS
// with its CRC. Kept in the version's checksums as the decimal string OSS shows.
import { Transform, type Readable } from 'node:stream';
import { combineCrc64Ecma, Crc64Ecma } from '../checksums/crc64-ecma.ts';

export const CRC64_ECMA = 'crc64ecma';

export function crc64Tap(source: Readable): { stream: Transform; value: () => string } {
  const crc = new Crc64Ecma();
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      crc.update(chunk);
      cb(null, chunk);
    },
  });
  source.once('error', (err) => stream.destroy(err));
  source.pipe(stream);
  return { stream, value: () => crc.digest() };
}

/** The CRC of `a ‖ b` from their CRCs (decimal strings) and b's length; undefined if a's is unknown. */
export function combineObjectCrc64(a: string | undefined, b: string, lengthB: number): string | undefined {
  if (a === undefined || a === '') return undefined;
  return combineCrc64Ecma(BigInt(a), BigInt(b), lengthB).toString();
}
