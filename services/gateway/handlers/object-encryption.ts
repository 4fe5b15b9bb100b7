// Server-side encryption as the object handlers use it: the seal of a new object (its data key
// from the KMS, or the customer's key, and a fresh salt → the envelope the manifest keeps), the
// seal of a stored object opened again (the wrapped key unwrapped, or the customer key checked),
// and the two ends of the data path wrapped — plaintext in, blocks stored; a plaintext range
// out of just the blocks that hold it. The block format itself is in ../encryption/.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Readable, Transform } from 'node:stream';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Bucket, EncryptionEnvelope, EncryptionEnvelopeSchema, Manifest } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { KmsCaller } from '../../kms/data-key-service.ts';
import { contentKey, customerKeyCheck, DATA_KEY_BYTES, keyedEtag, SALT_BYTES } from '../encryption/block-cipher.ts';
import { BLOCK_OVERHEAD_BYTES, BLOCK_PLAINTEXT_BYTES, BlockLayoutError, planRange, plainSizeOf, storedSize } from '../encryption/block-layout.ts';
import { decryptingStream, encryptingStream } from '../encryption/block-streams.ts';
import { bucketEncryptionOf, defaultSseWrite } from '../encryption/bucket-encryption-config.ts';
import {
  type CustomerKey, customerKeyTransportAllowed, insecureCustomerKey, parseCustomerKey, parseSseWrite, type SseMode, type SseWrite,
} from '../encryption/sse-request.ts';
import { kmsCall } from '../errors/kms-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import type { ByteRange } from '../objects/index.ts';
import { kmsCallerFor } from '../kms/kms-caller.ts';
import type { RequestContext } from './request-context.ts';

export type EnvelopeInit = MessageInitShape<typeof EncryptionEnvelopeSchema>;
export const SSE_ALGORITHM = 'AES-256-GCM';

/** An object's encryption, open: what its blocks are encrypted under. */
export interface ObjectSeal {
  readonly mode: SseMode;
  readonly envelope: EnvelopeInit;
  readonly key: Buffer;
  readonly salt: Buffer;
  /** SSE-KMS / SSE-S3: the key ARN that wraps the data key. */
  readonly keyArn?: string;
  /** SSE-C: the key's MD5, as the request sent it. */
  readonly customerKeyMd5?: string;
}

/** The encryption a write asks for: its own headers, else the bucket's default, else none. */
export function sseWriteFor(ctx: RequestContext, bucket: Bucket): SseWrite | undefined {
  return parseSseWrite(ctx.req.headers, ctx.dialect.name) ?? defaultSseWrite(bucketEncryptionOf(bucket.configs));
}

/** The request's customer key (SSE-C) for reading an object, or a copy source's. */
export function customerKeyOf(ctx: RequestContext, prefix: '' | 'copy-source-' = ''): CustomerKey | undefined {
  const key = parseCustomerKey(ctx.req.headers, ctx.dialect.name, prefix);
  if (key) checkCustomerKeyTransport(ctx);
  return key;
}

function checkCustomerKeyTransport(ctx: RequestContext): void {
  const secure = (ctx.req.socket as { encrypted?: boolean }).encrypted === true;
  if (!customerKeyTransportAllowed(secure, ctx.req.socket.remoteAddress)) throw insecureCustomerKey();
}

function encryptionContext(bucket: string, key: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, 'aws:s3:arn': `arn:aws:s3:::${bucket}/${key}` };
}

function keysOf(ctx: RequestContext) {
  const keys = ctx.services.keys;
  if (!keys) throw new StoreError('KMSNotConfigured', 'Server-side encryption with service or KMS keys needs the key service, which this gateway was started without.');
  return keys;
}

/** The request's principal as the KMS sees it; bare key ids and aliases name the bucket owner's keys. */
function callerOf(ctx: RequestContext, bucket: Bucket): KmsCaller {
  return kmsCallerFor(ctx, bucket.owner);
}

/** A new object's (or upload's) encryption. */
export async function sealNew(ctx: RequestContext, bucket: Bucket, objectKey: string, spec: SseWrite): Promise<ObjectSeal> {
  const salt = randomBytes(SALT_BYTES);
  const base = { algorithm: SSE_ALGORITHM, blockSize: BigInt(BLOCK_PLAINTEXT_BYTES), blockOverhead: BLOCK_OVERHEAD_BYTES, salt };
  if (spec.mode === 'SSE-C') {
    checkCustomerKeyTransport(ctx);
    return {
      mode: 'SSE-C', salt, key: contentKey(spec.customer.key, salt), customerKeyMd5: spec.customer.keyMd5,
      envelope: { ...base, mode: 'SSE-C', customerKeyCheck: customerKeyCheck(spec.customer.key, salt) },
    };
  }
  const context = encryptionContext(bucket.name, objectKey, spec.mode === 'SSE-KMS' ? spec.context : {});
  const keys = keysOf(ctx);
  const dk = await kmsCall(spec.mode === 'SSE-KMS'
    ? keys.generateDataKey(callerOf(ctx, bucket), { ...(spec.keyId ? { keyId: spec.keyId } : {}), context })
    : keys.generateServiceDataKey(context));
  if (dk.plaintext.length !== DATA_KEY_BYTES) throw new StoreError('InternalError', 'the key service returned a data key of the wrong size');
  const key = contentKey(dk.plaintext, salt);
  dk.plaintext.fill(0);
  return { mode: spec.mode, salt, key, keyArn: dk.keyArn, envelope: { ...base, mode: spec.mode, keyId: dk.keyArn, wrappedKey: dk.wrapped, context } };
}

/**
 * A stored object's encryption opened for reading: undefined for a plain object (whose request
 * must then carry no customer key). SSE-C: the key is required (400 InvalidRequest) and must be
 * the one it was written with (403 AccessDenied); KMS refusals are mapped once (kms-error-mapping).
 */
export async function openSeal(ctx: RequestContext, bucket: Bucket, envelope: EncryptionEnvelope | undefined,
  customer: CustomerKey | undefined): Promise<ObjectSeal | undefined> {
  if (!envelope || envelope.mode === '') {
    if (customer) throw new StoreError('InvalidRequest', 'The encryption parameters are not applicable to this object.');
    return undefined;
  }
  checkFormat(envelope);
  const salt = Buffer.from(envelope.salt);
  if (envelope.mode === 'SSE-C') {
    if (!customer) {
      throw new StoreError('InvalidRequest', 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
    }
    const check = customerKeyCheck(customer.key, salt);
    const stored = Buffer.from(envelope.customerKeyCheck);
    if (stored.length !== check.length || !timingSafeEqual(stored, check)) {
      throw new StoreError('AccessDenied', 'The provided customer key does not match the key the object was encrypted with.');
    }
    return { mode: 'SSE-C', salt, key: contentKey(customer.key, salt), customerKeyMd5: customer.keyMd5, envelope };
  }
  if (customer) throw new StoreError('InvalidRequest', 'The encryption parameters are not applicable to this object.');
  const mode = envelope.mode === 'SSE-KMS' ? 'SSE-KMS' : 'SSE-S3';
  const caller = mode === 'SSE-KMS' ? callerOf(ctx, bucket) : undefined;
  const { plaintext, keyArn } = await kmsCall(keysOf(ctx).decryptDataKey(caller, Buffer.from(envelope.wrappedKey), { ...envelope.context }));
  const key = contentKey(plaintext, salt);
  plaintext.fill(0);
  return { mode, salt, key, keyArn: envelope.keyId || keyArn, envelope };
}

function checkFormat(e: EncryptionEnvelope): void {
  if (e.algorithm !== SSE_ALGORITHM || e.blockSize !== BigInt(BLOCK_PLAINTEXT_BYTES) || e.blockOverhead !== BLOCK_OVERHEAD_BYTES || e.salt.length !== SALT_BYTES) {
    throw new StoreError('InternalError', `the object is encrypted in a format this gateway does not read (${e.algorithm}, ${e.blockSize}-byte blocks)`);
  }
}

/** The stored bytes of one part: its plaintext (exactly `plainSize` bytes) as blocks. */
export function sealedPart(seal: ObjectSeal, part: number, plainSize: number, plaintext: Readable): { stream: Transform; storedSize: number } {
  const stream = encryptingStream({ key: seal.key, salt: seal.salt, part, plainSize });
  plaintext.once('error', (err) => stream.destroy(err));
  plaintext.pipe(stream);
  return { stream, storedSize: storedSize(plainSize) };
}

/** Plaintext sizes of a manifest's parts (an encrypted manifest records stored sizes). */
export function plainPartSizes(manifest: Manifest): number[] {
  const encrypted = !!manifest.encryption?.mode;
  return manifest.parts.map((p) => {
    if (!encrypted) return Number(p.size);
    try {
      return plainSizeOf(Number(p.size));
    } catch (err) {
      if (err instanceof BlockLayoutError) throw new StoreError('InternalError', `manifest part ${p.number}: ${err.message}`);
      throw err;
    }
  });
}

/** Plaintext bytes [range] (or all) of a stored object; encrypted objects need their open seal. */
export function readPlaintext(ctx: RequestContext, manifest: Manifest, seal: ObjectSeal | undefined, range?: ByteRange): Readable {
  if (!seal) return ctx.services.data.read(manifest, range);
  const sizes = plainPartSizes(manifest);
  const total = sizes.reduce((a, b) => a + b, 0);
  const r = range ?? { start: 0, end: total - 1 };
  if (!(r.start >= 0 && r.start <= r.end && r.end < total)) {
    throw new StoreError('InvalidRange', `bytes ${r.start}-${r.end} are not within an object of ${total} bytes`);
  }
  const plan = planRange(manifest.parts.map((p, i) => ({ number: p.number, plainSize: sizes[i]! })), r.start, r.end);
  const stored = ctx.services.data.read(manifest, plan.stored);
  return decryptingStream(stored, { key: seal.key, salt: seal.salt, plan });
}

/** The ETag of `md5Hex` bytes under this seal: the MD5 itself for SSE-S3 (as S3), a keyed digest otherwise. */
export function sealedEtag(seal: ObjectSeal | undefined, md5Hex: string): string {
  return !seal || seal.mode === 'SSE-S3' ? md5Hex : keyedEtag(seal.key, md5Hex);
}

/** What every response about an encrypted object says of its encryption (internal S3 names). */
export function sseHeaders(seal: Pick<ObjectSeal, 'mode' | 'keyArn' | 'customerKeyMd5'> | undefined): Record<string, string> {
  if (!seal) return {};
  if (seal.mode === 'SSE-C') {
    return {
      'x-amz-server-side-encryption-customer-algorithm': 'AES256',
      ...(seal.customerKeyMd5 ? { 'x-amz-server-side-encryption-customer-key-md5': seal.customerKeyMd5 } : {}),
    };
  }
  if (seal.mode === 'SSE-S3') return { 'x-amz-server-side-encryption': 'AES256' };
  return { 'x-amz-server-side-encryption': 'aws:kms', ...(seal.keyArn ? { 'x-amz-server-side-encryption-aws-kms-key-id': seal.keyArn } : {}) };
}

/** The same from a stored envelope alone (listings of uploads, responses that open no key). */
export function envelopeHeaders(envelope: EncryptionEnvelope | undefined, customerKeyMd5?: string): Record<string, string> {
  if (!envelope?.mode) return {};
  const mode = envelope.mode as SseMode;
  return sseHeaders({ mode, keyArn: envelope.keyId || undefined, customerKeyMd5 });
}
