// The request body as the handlers see it: decoded (aws-chunked framing removed), verified
// (chunk and trailer signatures, x-amz-content-sha256, Content-MD5, x-amz-checksum-*, length)
// and digested (MD5 for the ETag, plus every checksum the request asked for).
//
// Every check that fails makes the stream error before it ends, so a consumer that commits
// only on 'end' never commits bad data. Signed chunks are held until their signature checks,
// so not even an uncommitted byte of an unauthenticated chunk reaches the consumer.
import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { isStoreError, StoreError } from '../errors/store-error.ts';
import type { Authentication } from './authenticate.ts';
import { DEFAULT_MAX_BODY_BYTES } from './auth-limits.ts';
import { type AwsChunkedEvents, AwsChunkedParser } from './aws-chunked-parser.ts';
import {
  type ChecksumPlan, checkTrailerName, planChecksums, requireDeclaredTrailer, TRAILER_SIGNATURE, verifyChecksums,
} from './body-checksum-plan.ts';
import { type Checksum, type ChecksumAlgorithm, createChecksum } from './checksum.ts';
import { ChunkSignatureChain } from './chunk-signature-chain.ts';
import { isAwsChunked, type PayloadSigning, parsePayloadSigning } from './payload-signing.ts';
import { headerValue, type RequestHeaders } from './request-view.ts';

export interface BodyDigests {
  md5Hex: string;
  md5Base64: string;
  /** Base64 values, for every algorithm the request named (header, trailer or SDK hint) or the caller added. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface RequestBody {
  /** Decoded object bytes: x-amz-decoded-content-length for aws-chunked, else Content-Length; undefined if neither. */
  readonly size: number | undefined;
  /** The decoded bytes. Errors (with a StoreError) before 'end' on any mismatch. */
  readonly stream: Readable;
  /** After the stream ended: MD5 and the checksums. Throws InternalError before that. */
  digests(): BodyDigests;
}

export interface RequestBodyOptions {
  /** Largest decoded body accepted (EntityTooLarge beyond); default 5 GiB, S3's single-PUT limit. */
  maxBytes?: number;
  /** Checksums to compute even when the request names none. */
  alsoCompute?: readonly ChecksumAlgorithm[];
}

/**
 * Opens the body of an authenticated (or anonymous) request. Problems visible in the headers
 * (a declared size over the limit, a malformed Content-MD5 or checksum header, conflicting
 * checksums) throw here, before a byte is read.
 *
 * When the stream errors, the source is unpiped but not destroyed, so the caller can still
 * answer with the error; it must then drain or close the connection.
 */
export function openRequestBody(source: Readable, headers: RequestHeaders, auth: Authentication, options: RequestBodyOptions = {}): RequestBody {
  const payload = bodyPayload(headers, auth);
  const chunked = isAwsChunked(payload);
  const size = declaredSize(headers, chunked ? 'x-amz-decoded-content-length' : 'content-length');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (size !== undefined && size > maxBytes) throw tooLarge(size, maxBytes);
  const trailers = payload.kind === 'streaming-unsigned-trailer' || (payload.kind === 'streaming-signed' && payload.trailer);
  const plan = planChecksums(headers, trailers, options.alsoCompute);
  const chain = !auth.anonymous && auth.chunkSigning && payload.kind === 'streaming-signed' ? new ChunkSignatureChain(auth.chunkSigning) : undefined;
  if (payload.kind === 'streaming-signed' && !chain) throw new StoreError('InternalError', 'A chunk-signed body arrived without its signing context.');

  const decoder = new RequestBodyDecoder({ size, maxBytes, plan, payload, chain, signedTrailer: !!chain && trailers });
  connect(source, decoder);
  return { size, stream: decoder, digests: () => decoder.digests() };
}

/** Reads a small body (an XML document) whole; EntityTooLarge beyond maxBytes. */
export async function readBodyFully(body: RequestBody, maxBytes: number): Promise<Buffer> {
  if (body.size !== undefined && body.size > maxBytes) throw tooLarge(body.size, maxBytes);
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const part of body.stream as AsyncIterable<Buffer>) {
      total += part.length;
      if (total > maxBytes) throw tooLarge(total, maxBytes);
      parts.push(part);
    }
  } catch (err) {
    throw asStoreError(err);
  }
  return Buffer.concat(parts, total);
}

/** An anonymous request has no verified payload mode, so its own header decides. */
function bodyPayload(headers: RequestHeaders, auth: Authentication): PayloadSigning {
  if (!auth.anonymous) return auth.payload;
  const value = headerValue(headers, 'x-amz-content-sha256');
  if (value === undefined) return { kind: 'unsigned' };
  const payload = parsePayloadSigning(value);
  if (!payload) {
    throw new StoreError('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value, or the hex SHA-256 of the body.', {
      ArgumentName: 'x-amz-content-sha256', ArgumentValue: value,
    });
  }
  if (payload.kind === 'streaming-signed') throw new StoreError('InvalidRequest', 'A chunk-signed body needs a signed request.');
  return payload;
}

function declaredSize(headers: RequestHeaders, name: string): number | undefined {
  const text = headerValue(headers, name)?.trim();
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw new StoreError('InvalidArgument', `${name} must be a whole number of bytes.`, { ArgumentName: name, ArgumentValue: text });
  return Number(text);
}

function tooLarge(size: number, maxBytes: number): StoreError {
  return new StoreError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', {
    ProposedSize: String(size), MaxSizeAllowed: String(maxBytes),
  });
}

function incomplete(message: string): StoreError {
  return new StoreError('IncompleteBody', message);
}

function asStoreError(err: unknown): StoreError {
  if (isStoreError(err)) return err;
  const wrapped = new StoreError('InternalError', 'Decoding the request body failed.');
  wrapped.cause = err;
  return wrapped;
}

/**
 * Pipes without `pipeline`, which would destroy the source (for an HTTP request, the socket
 * the error response still has to go out on).
 */
function connect(source: Readable, decoder: RequestBodyDecoder): void {
  const cutShort = (): void => {
    if (!source.readableEnded) decoder.destroy(incomplete('The connection closed before the request body was complete.'));
  };
  // Kept for good: a source error with no listener would crash the process.
  source.on('error', cutShort);
  source.on('close', cutShort);
  // Nobody may be listening yet when a check fails; the consumer still sees the error when it
  // reads (a destroyed stream keeps it), and the process does not crash meanwhile.
  decoder.on('error', () => {});
  if (source.destroyed) process.nextTick(cutShort);
  else source.pipe(decoder);
}

interface DecoderSettings {
  size: number | undefined;
  maxBytes: number;
  plan: ChecksumPlan;
  payload: PayloadSigning;
  chain: ChunkSignatureChain | undefined;
  signedTrailer: boolean;
}

class RequestBodyDecoder extends Transform implements AwsChunkedEvents {
  private readonly md5 = createHash('md5');
  private readonly checksums: Map<ChecksumAlgorithm, Checksum>;
  private readonly payloadSha256: Hash | undefined;
  private readonly parser: AwsChunkedParser | undefined;
  private decodedBytes = 0;
  private result: BodyDigests | undefined;
  // The signed chunk in flight: its hash, its claimed signature, and its data held until verified.
  private chunkHash: Hash | undefined;
  private chunkSignature: string | undefined;
  private held: Buffer[] = [];
  // Insertion-ordered: the trailer signature covers the trailers in the order they came.
  private readonly trailers = new Map<string, string>();
  private trailerSignature: string | undefined;

  constructor(private readonly s: DecoderSettings) {
    super();
    this.checksums = new Map(s.plan.algorithms.map((a) => [a, createChecksum(a)]));
    this.payloadSha256 = s.payload.kind === 'sha256' ? createHash('sha256') : undefined;
    this.parser = isAwsChunked(s.payload) ? new AwsChunkedParser(this) : undefined;
  }

  digests(): BodyDigests {
    if (!this.result) throw new StoreError('InternalError', 'The request body digests were asked for before the body ended.');
    return this.result;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (this.parser) this.parser.push(chunk);
      else this.accept(chunk);
      done();
    } catch (err) {
      done(asStoreError(err));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.finishBody();
      done();
    } catch (err) {
      done(asStoreError(err));
    }
  }

  chunkStart(size: number, signature: string | undefined): void {
    const after = this.decodedBytes + size;
    if (after > this.s.maxBytes) throw tooLarge(after, this.s.maxBytes);
    if (this.s.size !== undefined && after > this.s.size) {
      throw incomplete(`The aws-chunked body carries more than the ${this.s.size} bytes x-amz-decoded-content-length declares.`);
    }
    if (this.s.chain) {
      this.chunkHash = createHash('sha256');
      this.chunkSignature = signature;
    }
  }

  chunkData(bytes: Buffer): void {
    if (this.chunkHash) {
      this.chunkHash.update(bytes);
      this.held.push(bytes);
    } else {
      this.accept(bytes);
    }
  }

  chunkEnd(): void {
    if (!this.s.chain || !this.chunkHash) return;
    this.s.chain.verifyChunk(this.chunkSignature, this.chunkHash.digest('hex'));
    this.chunkHash = undefined;
    const held = this.held;
    this.held = [];
    for (const bytes of held) this.accept(bytes);
  }

  trailer(name: string, value: string): void {
    checkTrailerName(this.s.plan, name, this.s.signedTrailer);
    if (name === TRAILER_SIGNATURE ? this.trailerSignature !== undefined : this.trailers.has(name)) {
      throw new StoreError('InvalidRequest', `The trailer ${name} appears more than once.`);
    }
    if (name === TRAILER_SIGNATURE) this.trailerSignature = value;
    else this.trailers.set(name, value);
  }

  /** Counts, digests and passes on decoded (and, if signed, verified) bytes. */
  private accept(bytes: Buffer): void {
    this.decodedBytes += bytes.length;
    if (this.decodedBytes > this.s.maxBytes) throw tooLarge(this.decodedBytes, this.s.maxBytes);
    if (this.s.size !== undefined && this.decodedBytes > this.s.size) {
      throw incomplete(`The request body is longer than the ${this.s.size} bytes its headers declare.`);
    }
    this.md5.update(bytes);
    for (const c of this.checksums.values()) c.update(bytes);
    this.payloadSha256?.update(bytes);
    this.push(bytes);
  }

  private finishBody(): void {
    if (this.parser) {
      this.parser.finish();
      requireDeclaredTrailer(this.s.plan, this.trailers);
      // A signed trailer is verified whenever one was declared or sent; with neither there
      // is nothing it could protect.
      if (this.s.signedTrailer && (this.s.plan.trailerChecksum || this.trailers.size > 0 || this.trailerSignature !== undefined)) {
        this.s.chain!.verifyTrailer(this.trailerSignature, [...this.trailers]);
      }
    }
    if (this.s.size !== undefined && this.decodedBytes !== this.s.size) {
      throw incomplete(`You did not provide the number of bytes the request declared: ${this.decodedBytes} of ${this.s.size} arrived.`);
    }
    if (this.payloadSha256 && this.s.payload.kind === 'sha256') {
      const computed = this.payloadSha256.digest('hex');
      if (computed !== this.s.payload.hex) {
        throw new StoreError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
          ClientComputedContentSHA256: this.s.payload.hex, S3ComputedContentSHA256: computed,
        });
      }
    }
    const md5 = this.md5.digest();
    const computed = new Map([...this.checksums].map(([a, c]) => [a, c.digest()] as const));
    verifyChecksums(this.s.plan, { md5, checksums: computed }, this.trailers);
    this.result = {
      md5Hex: md5.toString('hex'),
      md5Base64: md5.toString('base64'),
      checksums: Object.fromEntries([...computed].map(([a, d]) => [a, d.toString('base64')])),
    };
  }
}
