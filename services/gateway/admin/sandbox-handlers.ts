// The admin API's bucket sandbox routes (cluster admin only), over handlers/sandbox-config.ts.
import { bucketSandbox, DEFAULT_SANDBOX_REQUESTS_PER_SECOND, setBucketSandbox } from '../handlers/sandbox-config.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { parseJsonBody, sandboxBody, validated } from './admin-requests.ts';
import type { AdminAnswer, AdminCall } from './identity-handlers.ts';

export const sandboxHandlers = {
  async putSandbox(c: AdminCall): Promise<AdminAnswer> {
    const body = validated(sandboxBody, parseJsonBody(c.body));
    const bucket = c.params.bucket ?? '';
    const stored = await setBucketSandbox(c.services, bucket, {
      requestsPerSecond: body.requestsPerSecond ?? DEFAULT_SANDBOX_REQUESTS_PER_SECOND,
      ...(body.reason !== undefined ? { reason: body.reason } : {}), sinceMs: Date.now(),
    });
    return { status: 200, body: { bucket, sandboxed: true, sandbox: bucketSandbox(stored) } };
  },

  async getSandbox(c: AdminCall): Promise<AdminAnswer> {
    const bucket = c.params.bucket ?? '';
    const res = await metaCall(c.services.meta.call('getBucket', { name: bucket }));
    const sandbox = bucketSandbox(res.bucket!);
    return { status: 200, body: { bucket, sandboxed: sandbox !== undefined, ...(sandbox ? { sandbox } : {}) } };
  },

  async deleteSandbox(c: AdminCall): Promise<AdminAnswer> {
    await setBucketSandbox(c.services, c.params.bucket ?? '', undefined);
    return { status: 204 };
  },
};
