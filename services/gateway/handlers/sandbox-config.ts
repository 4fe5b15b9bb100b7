// The bucket sandbox setting (issue #11), kept as JSON in the bucket's "sandbox" config document:
// present = sandboxed. An admin puts a bucket in (and takes it out) through the admin API; the
// authorization core then refuses anonymous and other accounts' requests, and the owner's signed
// requests pass at `requestsPerSecond` per gateway.
import { z } from 'zod';
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import type { GatewayServices } from './request-context.ts';

export const SANDBOX_CONFIG = 'sandbox';
/** The owner's rate in the sandbox when the admin names none. */
export const DEFAULT_SANDBOX_REQUESTS_PER_SECOND = 10;
export const MAX_SANDBOX_REQUESTS_PER_SECOND = 100_000;

export const sandboxSettingSchema = z.object({
  requestsPerSecond: z.number().int().min(1).max(MAX_SANDBOX_REQUESTS_PER_SECOND).default(DEFAULT_SANDBOX_REQUESTS_PER_SECOND),
  /** Why the bucket is in the sandbox (shown to the admin, never to clients). */
  reason: z.string().max(1024).optional(),
  /** When it was put in, epoch ms (set by the gateway). */
  sinceMs: z.number().int().nonnegative().optional(),
}).strict();

export type SandboxSetting = z.output<typeof sandboxSettingSchema>;

/** The bucket's sandbox setting, or undefined when it is not sandboxed. A stored document that does not parse fails closed (sandboxed at the default rate). */
export function bucketSandbox(bucket: Bucket): SandboxSetting | undefined {
  const doc = bucket.configs[SANDBOX_CONFIG];
  if (!doc || doc.length === 0) return undefined;
  try {
    const parsed = sandboxSettingSchema.safeParse(JSON.parse(Buffer.from(doc).toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch { /* fall through */ }
  return { requestsPerSecond: DEFAULT_SANDBOX_REQUESTS_PER_SECOND };
}

/** Puts the bucket into the sandbox (setting given) or takes it out (undefined). NoSuchBucket when it does not exist. */
export async function setBucketSandbox(services: GatewayServices, bucketName: string, setting: SandboxSetting | undefined): Promise<Bucket> {
  const document = setting === undefined ? new Uint8Array() : Buffer.from(JSON.stringify(setting), 'utf8');
  const res = await metaCall(services.meta.call('putBucketConfig', { bucket: bucketName, kind: SANDBOX_CONFIG, document }));
  if (!res.bucket) throw new StoreError('InternalError', `the sandbox setting of ${bucketName} was not stored`);
  services.buckets.remember(res.bucket);
  return res.bucket;
}
