// SigV4 for the KMS API: the credential scope names service "kms" and, as for every AWS JSON
// service, clients sign the body's hash without sending x-amz-content-sha256, so the body is
// read first and hashed here. The signing pieces are the gateway's own (services/common/sigv4/).
import type { IncomingMessage } from 'node:http';
import type { Authentication, CredentialLookup } from '../auth/index.ts';
import { MAX_CLOCK_SKEW_MS } from '../auth/index.ts';
import { buildCanonicalRequest } from '../../common/sigv4/sigv4-canonical-request.ts';
import {
  credentialScope, requestStringToSign, sha256Hex, SIGV4_ALGORITHM, SIGV4_TERMINATOR, signatureOf, signaturesEqual, signingKey,
} from '../../common/sigv4/sigv4-signing.ts';
import { canonicalQueryString, canonicalUri, parseRawQuery, splitRawUrl } from '../../common/sigv4/sigv4-uri-encoding.ts';
import { KmsApiError } from './kms-api-error.ts';

export const KMS_SIGNING_SERVICE = 'kms';

function one(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export async function authenticateKmsRequest(req: IncomingMessage, body: Buffer, lookup: CredentialLookup, nowMs: number): Promise<Authentication> {
  const authorization = one(req, 'authorization');
  if (authorization === undefined) throw new KmsApiError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  if (!authorization.startsWith(`${SIGV4_ALGORITHM} `)) throw new KmsApiError('IncompleteSignatureException', `sign KMS requests with ${SIGV4_ALGORITHM}`);
  const fields = new Map<string, string>();
  for (const part of authorization.slice(SIGV4_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/') ?? [];
  const signedHeaders = fields.get('SignedHeaders')?.split(';') ?? [];
  const signature = fields.get('Signature') ?? '';
  if (credential.length !== 5 || signedHeaders.length === 0 || !/^[0-9a-f]{64}$/.test(signature) || !signedHeaders.includes('host')) {
    throw new KmsApiError('IncompleteSignatureException', 'the Authorization header needs Credential=<key>/<date>/<region>/kms/aws4_request, SignedHeaders (with host) and Signature');
  }
  const [accessKeyId, date, region, service, terminator] = credential as [string, string, string, string, string];
  if (service !== KMS_SIGNING_SERVICE || terminator !== SIGV4_TERMINATOR) {
    throw new KmsApiError('InvalidSignatureException', `the credential scope names service "${service}"; this endpoint is "${KMS_SIGNING_SERVICE}"`);
  }
  const amzDate = one(req, 'x-amz-date')?.trim() ?? '';
  const m = AMZ_DATE.exec(amzDate);
  if (!m) throw new KmsApiError('IncompleteSignatureException', 'X-Amz-Date is required (yyyyMMddTHHmmssZ)');
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Math.abs(nowMs - ms) > MAX_CLOCK_SKEW_MS) throw new KmsApiError('InvalidSignatureException', 'Signature expired: the request time is too far from the server time');
  if (date !== amzDate.slice(0, 8)) throw new KmsApiError('InvalidSignatureException', 'the credential date is not the request date');
  const found = await lookup(accessKeyId);
  if (!found) throw new KmsApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const payloadHash = sha256Hex(body);
  const sent = one(req, 'x-amz-content-sha256');
  if (sent !== undefined && sent !== payloadHash && sent !== 'UNSIGNED-PAYLOAD') throw new KmsApiError('InvalidSignatureException', 'x-amz-content-sha256 does not match the body');
  const { rawPath, rawQuery } = splitRawUrl(req.url ?? '/');
  const canonicalRequest = buildCanonicalRequest({
    method: req.method ?? 'POST', canonicalUri: canonicalUri(rawPath), canonicalQuery: canonicalQueryString(parseRawQuery(rawQuery)),
    headers: req.headers, signedHeaders, payloadHash: sent ?? payloadHash,
  });
  const scope = credentialScope(date, region, KMS_SIGNING_SERVICE);
  const expected = signatureOf(signingKey(found.secretAccessKey, date, region, KMS_SIGNING_SERVICE), requestStringToSign(amzDate, scope, canonicalRequest));
  if (!signaturesEqual(expected, signature)) {
    throw new KmsApiError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return {
    anonymous: false, accessKeyId: found.accessKeyId, principal: found.principal, ...(found.user ? { user: found.user } : {}),
    region, payload: { kind: 'sha256', hex: payloadHash },
  };
}
