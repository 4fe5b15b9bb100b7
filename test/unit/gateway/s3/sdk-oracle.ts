// Test helper: the real AWS SDK (v3) as an oracle for our XML. A client whose request handler
// answers every request with given bytes, so the SDK's own deserializers parse what we render.
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';

// Node 20 is this project's runtime; the SDK's notice about its future support is noise here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export interface CannedResponse {
  status?: number;
  body: string;
  headers?: Record<string, string>;
}

export interface OracleClient {
  client: S3Client;
  /** The last request the SDK sent (method, path, query, headers). */
  lastRequest(): { method: string; path: string; query: Record<string, unknown>; headers: Record<string, string> } | undefined;
}

export function sdkAnswering(answer: CannedResponse): OracleClient {
  let last: ReturnType<OracleClient['lastRequest']>;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://localhost:9000',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { method: string; path: string; query: Record<string, unknown>; headers: Record<string, string> }) => {
        last = { method: request.method, path: request.path, query: request.query, headers: request.headers };
        const body = Buffer.from(answer.body, 'utf8');
        return {
          response: {
            statusCode: answer.status ?? 200,
            headers: { 'content-type': 'application/xml', 'content-length': String(body.length), 'x-amz-request-id': 'REQ', ...answer.headers },
            body: Readable.from([body]),
          },
        };
      },
    } as unknown as S3Client['config']['requestHandler'],
  });
  return { client, lastRequest: () => last };
}
