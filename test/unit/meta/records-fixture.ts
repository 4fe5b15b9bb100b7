// Small builders for commands' payloads in tests.
import { create } from '@bufbuild/protobuf';
import {
  ManifestSchema, StripeSchema, type Manifest, type Stripe,
} from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
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
  del: (bucket: string, key: string, versionId = '', ifMatch = ''): Command['op'] => ({ case: 'deleteObject', value: { $typeName: 'zonestore.meta.v1.DeleteObjectRequest', bucket, key, versionId, ifMatch } }),
};
