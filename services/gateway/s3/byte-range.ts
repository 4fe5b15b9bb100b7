// Range (RFC 9110 §14, formerly RFC 7233) and x-amz-copy-source-range. The two differ on
// purpose: a GET range that does not parse is ignored (the whole object is sent), while a
// copy range that does not parse is an error, because copying the wrong bytes into a part is
// silent data corruption. Sizes are numbers here: objects stay far below 2^53 bytes.
import { StoreError } from '../errors/store-error.ts';

/** Inclusive byte offsets, start <= end < size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

const SINGLE_RANGE = /^([0-9]*)[ \t]*-[ \t]*([0-9]*)$/;

/**
 * The satisfiable range a Range header asks of an object of `size` bytes.
 * - undefined: no header, or one to ignore — not `bytes=`, syntactically invalid (`5-2`, `x-`),
 *   or several ranges. S3 does not serve multipart/byteranges and, like it, we send the whole
 *   object rather than refuse, which is what RFC 9110 allows for any Range a server ignores.
 * - InvalidRange (416): well-formed but unsatisfiable — first byte at or past the end, a
 *   zero-length suffix, or any range of an empty object.
 * The last byte is clamped to the object's end, and `bytes=-n` takes the last n bytes.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const eq = value.indexOf('=');
  if (eq < 0 || value.slice(0, eq).trim().toLowerCase() !== 'bytes') return undefined;
  const spec = value.slice(eq + 1).trim();
  if (spec.includes(',')) return undefined;
  const m = SINGLE_RANGE.exec(spec);
  if (!m) return undefined;
  const [, first, last] = m as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;

  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw unsatisfiable(header, size);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { start, end };
}

const COPY_RANGE = /^bytes=([0-9]+)-([0-9]+)$/;

/**
 * x-amz-copy-source-range: exactly `bytes=first-last` with first <= last, else InvalidArgument;
 * last past the source's end is InvalidArgument too, with the message AWS S3 gives
 * ("Range specified is not valid for source object of size: N") — some S3 test suites expect
 * InvalidRange there, but the real service answers 400 InvalidArgument.
 */
export function parseCopySourceRange(header: string | undefined, sourceSize: number): ByteRange | undefined {
  if (header === undefined || header === '') return undefined;
  const m = COPY_RANGE.exec(header.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2]) : NaN;
  if (!(start <= end)) {
    throw new StoreError('InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header });
  }
  if (end >= sourceSize) {
    throw new StoreError('InvalidArgument', `Range specified is not valid for source object of size: ${sourceSize}`, {
      ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header,
    });
  }
  return { start, end };
}

/** The Content-Range of a 206 answer. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** The Content-Range of a 416 answer (RFC 9110 §15.5.17). */
export function unsatisfiedContentRange(size: number): string {
  return `bytes */${size}`;
}

function unsatisfiable(header: string, size: number): StoreError {
  return new StoreError('InvalidRange', 'The requested range is not satisfiable', {
    RangeRequested: header, ActualObjectSize: String(size),
  });
}
