// Which digests a request body must be checked against, read from its headers before the body
// streams (Content-MD5, x-amz-checksum-<algorithm>, x-amz-trailer, x-amz-sdk-checksum-algorithm),
// and the comparison once it has. Pure: no streams here.
import { StoreError } from '../errors/store-error.ts';
import {
  type ChecksumAlgorithm, CHECKSUM_DIGEST_BYTES, checksumAlgorithmOfHeader, checksumDisplayName, checksumHeaderName,
  parseChecksumAlgorithm,
} from './checksum.ts';
import { headerValue, type RequestHeaders } from './request-view.ts';

export interface ChecksumPlan {
  /** The 16 bytes Content-MD5 names, when sent. */
  contentMd5: Buffer | undefined;
  /** Every algorithm to compute over the decoded body. */
  algorithms: ChecksumAlgorithm[];
  /** The value an x-amz-checksum-<algorithm> header gave up front. */
  headerChecksum: { algorithm: ChecksumAlgorithm; value: string } | undefined;
  /** The checksum x-amz-trailer says will follow the body. */
  trailerChecksum: ChecksumAlgorithm | undefined;
}

export interface ComputedDigests {
  md5: Buffer;
  checksums: ReadonlyMap<ChecksumAlgorithm, Buffer>;
}

/** x-amz-checksum-* headers that carry no value: multipart settings and GET's mode switch. */
const CHECKSUM_SETTING_HEADERS: ReadonlySet<string> = new Set(['x-amz-checksum-algorithm', 'x-amz-checksum-type', 'x-amz-checksum-mode']);

export const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

function isBase64Of(value: string, bytes: number): boolean {
  return value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes;
}

function invalidChecksumValue(algorithm: ChecksumAlgorithm, where: 'header' | 'trailer'): StoreError {
  return new StoreError('InvalidRequest', `Value for ${checksumHeaderName(algorithm)} ${where} is invalid.`);
}

function multipleChecksums(): StoreError {
  return new StoreError('InvalidRequest', 'Expecting a single x-amz-checksum- header; more than one checksum type is not allowed.');
}

/**
 * Reads the checksum headers. `trailersAllowed` says the body is aws-chunked with a trailer;
 * `alsoCompute` adds algorithms the caller wants whatever the client sent.
 */
export function planChecksums(headers: RequestHeaders, trailersAllowed: boolean, alsoCompute: readonly ChecksumAlgorithm[] = []): ChecksumPlan {
  const md5Text = headerValue(headers, 'content-md5');
  let contentMd5: Buffer | undefined;
  if (md5Text !== undefined) {
    const trimmed = md5Text.trim();
    if (!isBase64Of(trimmed, 16)) throw new StoreError('InvalidDigest', 'The Content-MD5 you specified is not valid.');
    contentMd5 = Buffer.from(trimmed, 'base64');
  }

  let headerChecksum: ChecksumPlan['headerChecksum'];
  for (const name of Object.keys(headers)) {
    if (!name.startsWith('x-amz-checksum-') || CHECKSUM_SETTING_HEADERS.has(name) || headers[name] === undefined) continue;
    const algorithm = checksumAlgorithmOfHeader(name);
    if (!algorithm) throw new StoreError('InvalidRequest', `The checksum header ${name} names an unsupported algorithm.`);
    const value = headerValue(headers, name)!.trim();
    if (!isBase64Of(value, CHECKSUM_DIGEST_BYTES[algorithm])) throw invalidChecksumValue(algorithm, 'header');
    if (headerChecksum) throw multipleChecksums();
    headerChecksum = { algorithm, value };
  }

  const trailerChecksum = declaredTrailerChecksum(headerValue(headers, 'x-amz-trailer'), trailersAllowed);
  if (trailerChecksum && headerChecksum) throw multipleChecksums();

  const sdkText = headerValue(headers, 'x-amz-sdk-checksum-algorithm');
  const sdkAlgorithm = sdkText === undefined ? undefined : parseChecksumAlgorithm(sdkText);
  if (sdkText !== undefined && !sdkAlgorithm) {
    throw new StoreError('InvalidRequest', `x-amz-sdk-checksum-algorithm "${sdkText}" is not a supported checksum algorithm.`);
  }
  const sent = headerChecksum?.algorithm ?? trailerChecksum;
  if (sdkAlgorithm && sent && sdkAlgorithm !== sent) {
    throw new StoreError('InvalidRequest',
      `x-amz-sdk-checksum-algorithm ${checksumDisplayName(sdkAlgorithm)} does not match the ${checksumHeaderName(sent)} the request carries.`);
  }

  const algorithms = new Set<ChecksumAlgorithm>(alsoCompute);
  for (const a of [sent, sdkAlgorithm]) if (a) algorithms.add(a);
  return { contentMd5, algorithms: [...algorithms], headerChecksum, trailerChecksum };
}

function declaredTrailerChecksum(declared: string | undefined, trailersAllowed: boolean): ChecksumAlgorithm | undefined {
  if (declared === undefined) return undefined;
  const names = declared.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  if (names.length === 0) return undefined;
  if (!trailersAllowed) {
    throw new StoreError('InvalidRequest', 'x-amz-trailer needs an aws-chunked body with trailers (x-amz-content-sha256 STREAMING-...-TRAILER).');
  }
  let checksum: ChecksumAlgorithm | undefined;
  for (const name of names) {
    const algorithm = checksumAlgorithmOfHeader(name);
    if (!algorithm) throw new StoreError('InvalidRequest', `The trailer ${name} is not supported; only x-amz-checksum-* trailers are.`);
    if (checksum) throw multipleChecksums();
    checksum = algorithm;
  }
  return checksum;
}

/** Throws unless a trailer of this name may appear (the declared checksum, or the signature of a signed trailer). */
export function checkTrailerName(plan: ChecksumPlan, name: string, signedTrailer: boolean): void {
  const declared = plan.trailerChecksum && checksumHeaderName(plan.trailerChecksum);
  if (name === declared || (signedTrailer && name === TRAILER_SIGNATURE)) return;
  throw new StoreError('InvalidRequest', `The body carries a trailer ${name} that x-amz-trailer did not declare.`);
}

/** Throws unless the checksum trailer x-amz-trailer declared has arrived. */
export function requireDeclaredTrailer(plan: ChecksumPlan, trailers: ReadonlyMap<string, string>): void {
  if (!plan.trailerChecksum) return;
  const name = checksumHeaderName(plan.trailerChecksum);
  if (!trailers.has(name)) throw new StoreError('InvalidRequest', `x-amz-trailer declared ${name} but the body did not end with it.`);
}

/** Compares what was computed with what the client claimed; BadDigest on any difference. */
export function verifyChecksums(plan: ChecksumPlan, computed: ComputedDigests, trailerValues: ReadonlyMap<string, string>): void {
  if (plan.contentMd5 && !plan.contentMd5.equals(computed.md5)) {
    throw new StoreError('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      ExpectedDigest: plan.contentMd5.toString('base64'), CalculatedDigest: computed.md5.toString('base64'),
    });
  }
  const claims: Array<{ algorithm: ChecksumAlgorithm; value: string }> = [];
  if (plan.headerChecksum) claims.push(plan.headerChecksum);
  if (plan.trailerChecksum) {
    requireDeclaredTrailer(plan, trailerValues);
    const value = trailerValues.get(checksumHeaderName(plan.trailerChecksum))!;
    if (!isBase64Of(value, CHECKSUM_DIGEST_BYTES[plan.trailerChecksum])) throw invalidChecksumValue(plan.trailerChecksum, 'trailer');
    claims.push({ algorithm: plan.trailerChecksum, value });
  }
  for (const { algorithm, value } of claims) {
    const actual = computed.checksums.get(algorithm)!;
    if (!actual.equals(Buffer.from(value, 'base64'))) {
      throw new StoreError('BadDigest', `The ${checksumDisplayName(algorithm)} you specified did not match the calculated checksum.`, {
        [`${checksumDisplayName(algorithm)}`]: value, CalculatedChecksum: actual.toString('base64'),
      });
    }
  }
}
