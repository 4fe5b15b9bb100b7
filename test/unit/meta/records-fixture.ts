// Small builders for commands' payloads in tests.
import { create } from '@bufbuild/protobuf';
import {
  ManifestPartSchema, ManifestSchema, StripeSchema, type Manifest, type Scheme, type Stripe,
} from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { PutObjectRequestSchema } from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import {
  AppendObjectRequestSchema, DeleteObjectTaggingRequestSchema, PutObjectTaggingRequestSchema,
} from '../../../services/common/gen/zonestore/meta/v1/oss_requests_pb.ts';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';

/** One stripe of `size` bytes replicated on one shard per chunk id. */
export function stripeOf(chunkIds: string[], size: bigint): Stripe {
  return create(StripeSchema, {
    size,
    shards: chunkIds.map((chunkId, index) => ({ index, node: `node-${index}`, zone: `zone-${index}`, chunkId, crc32c: 1, size })),
  });
}

export function manifestOf(chunkIds: string[], size = 10n): Manifest {
  return create(ManifestSchema, {
    scheme: { kind: { case: 'replica', value: { copies: chunkIds.length } } },
    blockSize: 1024n,
    parts: chunkIds.length === 0 ? [] : [{ number: 1, size, etag: 'e', stripes: [stripeOf(chunkIds, size)] }],
  });
}

export const replicas = (copies: number): Scheme => ({ $typeName: 'zonestore.meta.v1.Scheme', kind: { case: 'replica', value: { $typeName: 'zonestore.meta.v1.ReplicaScheme', copies } } });
export const erasure = (dataShards: number, parityShards: number): Scheme =>
  ({ $typeName: 'zonestore.meta.v1.Scheme', kind: { case: 'erasure', value: { $typeName: 'zonestore.meta.v1.ErasureScheme', dataShards, parityShards } } });

export interface AppendInit {
  size?: bigint;
  chunks?: string[];
  etag?: string;
  scheme?: Scheme;
  blockSize?: bigint;
  /** The part's own coding (instead of the request's). */
  partScheme?: Scheme;
  partBlockSize?: bigint;
  checksums?: Record<string, string>;
  contentType?: string;
}

export const op = {
  createBucket: (name: string, owner = 'alice', versioning = 0): Command['op'] => ({ case: 'createBucket', value: { $typeName: 'zonestore.meta.v1.CreateBucketRequest', name, owner, region: 'local', versioning, configs: {} } }),
  deleteBucket: (name: string): Command['op'] => ({ case: 'deleteBucket', value: { $typeName: 'zonestore.meta.v1.DeleteBucketRequest', name } }),
  versioning: (bucket: string, versioning: number): Command['op'] => ({ case: 'putBucketVersioning', value: { $typeName: 'zonestore.meta.v1.PutBucketVersioningRequest', bucket, versioning } }),
  put: (bucket: string, key: string, etag = 'aa', chunks: string[] = [], pre?: { ifMatch?: string; ifNoneMatch?: string }): Command['op'] => ({
    case: 'putObject',
    value: {
      $typeName: 'zonestore.meta.v1.PutObjectRequest', bucket, key, size: chunks.length ? 10n : 0n, etag, checksums: {},
      manifest: manifestOf(chunks), attributes: undefined, objectType: '',
      preconditions: pre ? { $typeName: 'zonestore.meta.v1.Preconditions', ifMatch: pre.ifMatch ?? '', ifNoneMatch: pre.ifNoneMatch ?? '' } : undefined,
    },
  }),
  putTyped: (bucket: string, key: string, objectType: string, chunks: string[] = []): Command['op'] => ({
    case: 'putObject',
    value: create(PutObjectRequestSchema, { bucket, key, size: chunks.length ? 10n : 0n, etag: 'aa', manifest: manifestOf(chunks), objectType }),
  }),
  /** Appends `size` bytes (default 10) at `position`, stored on `chunks`. */
  append: (bucket: string, key: string, position: bigint, a: AppendInit = {}): Command['op'] => {
    const size = a.size ?? 10n;
    const chunks = a.chunks ?? [];
    return {
      case: 'appendObject',
      value: create(AppendObjectRequestSchema, {
        bucket, key, position, etag: a.etag ?? `whole-${position + size}`, checksums: a.checksums ?? {},
        scheme: a.scheme ?? replicas(3), blockSize: a.blockSize ?? 1024n,
        attributes: a.contentType ? { contentType: a.contentType } : undefined,
        part: create(ManifestPartSchema, {
          size, etag: `part-${position}`, stripes: chunks.length ? [stripeOf(chunks, size)] : [],
          scheme: a.partScheme, blockSize: a.partBlockSize ?? 0n,
        }),
      }),
    };
  },
  tag: (bucket: string, key: string, tags: Record<string, string>, versionId = ''): Command['op'] =>
    ({ case: 'putObjectTagging', value: create(PutObjectTaggingRequestSchema, { bucket, key, versionId, tags }) }),
  untag: (bucket: string, key: string, versionId = ''): Command['op'] =>
    ({ case: 'deleteObjectTagging', value: create(DeleteObjectTaggingRequestSchema, { bucket, key, versionId }) }),
  del: (bucket: string, key: string, versionId = '', ifMatch = ''): Command['op'] => ({ case: 'deleteObject', value: { $typeName: 'zonestore.meta.v1.DeleteObjectRequest', bucket, key, versionId, ifMatch, bypassGovernance: false } }),
};
