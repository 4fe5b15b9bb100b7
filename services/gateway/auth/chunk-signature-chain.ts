// Verifies the signatures of a signed aws-chunked body. Each chunk's signature covers its data
// and the previous signature (the first chunk's, the request's seed signature), so chunks can
// be neither altered, dropped nor reordered; the trailer's signature continues the chain from
// the final, empty chunk.
import { StoreError } from '../errors/store-error.ts';
import { chunkStringToSign, signatureOf, signaturesEqual, trailerStringToSign } from './sigv4-signing.ts';

/** What the chunk verifier needs from the request's authentication. */
export interface ChunkSigningContext {
  signingKey: Buffer;
  /** The request's x-amz-date (yyyyMMddTHHmmssZ). */
  amzDate: string;
  /** `date/region/s3/aws4_request`. */
  scope: string;
  /** The request's own signature: the first link of the chain. */
  seedSignature: string;
}

export class ChunkSignatureChain {
  private previous: string;

  constructor(private readonly ctx: ChunkSigningContext) {
    this.previous = ctx.seedSignature;
  }

  /** Checks one chunk, given the SHA-256 of its data; the final empty chunk included. */
  verifyChunk(provided: string | undefined, chunkSha256Hex: string): void {
    const stringToSign = chunkStringToSign(this.ctx.amzDate, this.ctx.scope, this.previous, chunkSha256Hex);
    this.previous = this.check(provided, stringToSign, 'chunk-signature');
  }

  /** Checks the trailer signature over the trailing headers in the order they arrived. */
  verifyTrailer(provided: string | undefined, trailers: ReadonlyArray<readonly [string, string]>): void {
    const canonical = trailers.map(([name, value]) => `${name}:${value}\n`).join('');
    const stringToSign = trailerStringToSign(this.ctx.amzDate, this.ctx.scope, this.previous, canonical);
    this.previous = this.check(provided, stringToSign, 'x-amz-trailer-signature');
  }

  private check(provided: string | undefined, stringToSign: string, what: string): string {
    const expected = signatureOf(this.ctx.signingKey, stringToSign);
    if (provided === undefined) {
      throw new StoreError('SignatureDoesNotMatch', `The aws-chunked body lacks a ${what}.`);
    }
    if (!signaturesEqual(expected, provided)) {
      throw new StoreError('SignatureDoesNotMatch', `The ${what} we calculated does not match the one in the body.`, {
        StringToSign: stringToSign, SignatureProvided: provided,
      });
    }
    return expected;
  }
}
