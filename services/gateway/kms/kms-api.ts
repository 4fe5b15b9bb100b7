// The KMS API (docs/kms.md) at /_zonestore/kms: AWS KMS's JSON 1.1 protocol, so the aws CLI
// (`aws kms … --endpoint-url http://<gateway>/_zonestore/kms`) and @aws-sdk/client-kms work
// unchanged. POST, `X-Amz-Target: TrentService.<Operation>`, a JSON body, SigV4 for service
// "kms"; answers are JSON, refusals `{"__type": "<Name>", "message": "…"}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeyAdministration } from '../../kms/key-administration.ts';
import { KeyService } from '../../kms/key-service.ts';
import type { ReservedRouteContext } from '../http/reserved-routes.ts';
import { KmsApiError, notConfigured, toKmsApiError } from './kms-api-error.ts';
import { authenticateKmsRequest } from './kms-authenticate.ts';
import { kmsCallerOf } from './kms-caller.ts';
import { KMS_OPERATIONS } from './kms-operations.ts';
import { recordKmsCall } from '../../common/metrics/index.ts';

export const KMS_PATH = '/_zonestore/kms';
/** Largest request body (Encrypt's 4 KiB plaintext and ImportKeyMaterial's RSA-3072 blob, base64, fit easily). */
export const MAX_KMS_BODY_BYTES = 64 * 1024;
const TARGET_PREFIX = 'TrentService.';
const administrations = new WeakMap<KeyService, KeyAdministration>();

export function isKmsPath(path: string): boolean {
  return path === KMS_PATH || path === `${KMS_PATH}/`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req) {
    n += (chunk as Buffer).length;
    if (n > MAX_KMS_BODY_BYTES) {
      req.resume();
      throw new KmsApiError('ValidationException', `a KMS request body has at most ${MAX_KMS_BODY_BYTES} bytes`, 413);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId,
  });
  res.end(text);
}

async function answer(req: IncomingMessage, ctx: ReservedRouteContext): Promise<Record<string, unknown>> {
  if (req.method !== 'POST') throw new KmsApiError('UnknownOperationException', 'the KMS API takes POST requests', 405);
  const body = await readBody(req);
  const auth = await authenticateKmsRequest(req, body, ctx.credentials, Date.now());
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const op = Object.hasOwn(KMS_OPERATIONS, operation) ? KMS_OPERATIONS[operation] : undefined;
  if (!op) throw new KmsApiError('UnknownOperationException', `unknown operation ${JSON.stringify(target)}`);
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/^application\/x-amz-json-1\.[01]\b/.test(contentType)) {
    throw new KmsApiError('SerializationException', 'Content-Type must be application/x-amz-json-1.1');
  }
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new KmsApiError('SerializationException', 'the body is not JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new KmsApiError('SerializationException', 'the body must be a JSON object');
  const keys = ctx.services.keys;
  if (!(keys instanceof KeyService)) throw notConfigured();
  let admin = administrations.get(keys);
  if (!admin) administrations.set(keys, admin = new KeyAdministration(keys));
  return op({ keys, admin, caller: kmsCallerOf(auth, req, Date.now()), input: input as Record<string, unknown> });
}

/** The operation label of a KMS call: a known operation's name, else `Unknown` (keeps the series bounded). */
function kmsOperationLabel(req: IncomingMessage): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  return Object.hasOwn(KMS_OPERATIONS, operation) ? operation : 'Unknown';
}

export async function handleKmsRequest(req: IncomingMessage, res: ServerResponse, ctx: ReservedRouteContext): Promise<void> {
  const operation = kmsOperationLabel(req);
  try {
    send(res, 200, await answer(req, ctx), ctx.requestId);
    recordKmsCall(operation, 'ok');
  } catch (err) {
    const e = toKmsApiError(err);
    if (!e) {
      ctx.services.log.error({ err, requestId: ctx.requestId }, 'kms request failed');
      send(res, 500, { __type: 'KMSInternalException', message: 'internal error' }, ctx.requestId);
      recordKmsCall(operation, 'KMSInternalException');
      return;
    }
    req.resume();
    send(res, e.status, { __type: e.type, message: e.message }, ctx.requestId);
    recordKmsCall(operation, e.type);
  }
}
