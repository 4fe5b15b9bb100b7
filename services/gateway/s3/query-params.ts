// Numeric and enumerated query parameters. Each failure is InvalidArgument naming the argument,
// as S3 does, so a client sees which parameter it got wrong.
import { StoreError } from '../errors/store-error.ts';
import { MAX_LIST_ENTRIES, MAX_PART_NUMBER, MIN_PART_NUMBER } from './s3-limits.ts';

const DIGITS = /^[0-9]+$/;

/** `partNumber`: undefined when absent, else an integer in 1..10000. */
export function parsePartNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = DIGITS.test(value) ? Number(value) : NaN;
  if (!(n >= MIN_PART_NUMBER && n <= MAX_PART_NUMBER)) {
    throw new StoreError('InvalidArgument', `Part number must be an integer between ${MIN_PART_NUMBER} and ${MAX_PART_NUMBER}, inclusive`, {
      ArgumentName: 'partNumber', ArgumentValue: value,
    });
  }
  return n;
}

/**
 * max-keys / max-uploads / max-parts: absent means 1000, larger values are clamped to 1000
 * (S3 accepts them and returns at most 1000), 0 is a legal ask for an empty page, and
 * anything but a non-negative integer is InvalidArgument.
 */
export function parseListLimit(value: string | undefined, name: string): number {
  if (value === undefined) return MAX_LIST_ENTRIES;
  if (!DIGITS.test(value)) {
    throw new StoreError('InvalidArgument', `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name, ArgumentValue: value,
    });
  }
  return Math.min(Number(value), MAX_LIST_ENTRIES);
}

/** part-number-marker: 0 when absent. */
export function parsePartNumberMarker(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const n = DIGITS.test(value) ? Number(value) : NaN;
  if (!(n <= MAX_PART_NUMBER)) {
    throw new StoreError('InvalidArgument', 'Provided part-number-marker not an integer or within integer range', {
      ArgumentName: 'part-number-marker', ArgumentValue: value,
    });
  }
  return n;
}

export type EncodingType = 'url';

/** encoding-type: only `url` exists. */
export function parseEncodingType(value: string | undefined): EncodingType | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.toLowerCase() === 'url') return 'url';
  throw new StoreError('InvalidArgument', 'Invalid Encoding Method specified in Request', {
    ArgumentName: 'encoding-type', ArgumentValue: value,
  });
}
