// RequestFacts from what the pipeline holds after authentication and header normalization: the
// connection's facts, the (normalized) headers and the decoded query. Pure: the caller passes
// the clock's reading. OSS headers the normalizer leaves as sent (x-oss-server-side-encryption,
// x-oss-object-acl, x-oss-acl) are read under both names.
import type { AuthType, RequestFacts } from './request-context.ts';

export interface RequestFactsInput {
  readonly currentTime: number;
  readonly secureTransport: boolean;
  readonly sourceIp?: string;
  /** undefined for anonymous requests. */
  readonly authType?: AuthType;
  readonly signatureVersion?: string;
  readonly region?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: ReadonlyMap<string, string>;
}

function header(h: RequestFactsInput['headers'], ...names: string[]): string | undefined {
  for (const n of names) {
    const v = h[n];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.length > 0) return v[0];
  }
  return undefined;
}

const MAX_KEYS = /^\d{1,10}$/;

export function requestFacts(input: RequestFactsInput): RequestFacts {
  const h = input.headers;
  const q = input.query;
  const maxKeys = q.get('max-keys');
  const facts: { -readonly [K in keyof RequestFacts]: RequestFacts[K] } = {
    currentTime: input.currentTime,
    secureTransport: input.secureTransport,
  };
  const set = <K extends keyof RequestFacts>(k: K, v: RequestFacts[K] | undefined) => {
    if (v !== undefined) facts[k] = v;
  };
  set('sourceIp', input.sourceIp);
  set('authType', input.authType);
  set('signatureVersion', input.signatureVersion);
  set('region', input.region);
  set('referer', header(h, 'referer'));
  set('userAgent', header(h, 'user-agent'));
  set('serverSideEncryption', header(h, 'x-amz-server-side-encryption', 'x-oss-server-side-encryption'));
  set('sseKmsKeyId', header(h, 'x-amz-server-side-encryption-aws-kms-key-id', 'x-oss-server-side-encryption-key-id'));
  set('acl', header(h, 'x-amz-acl', 'x-oss-object-acl', 'x-oss-acl'));
  set('prefix', q.get('prefix'));
  set('delimiter', q.get('delimiter'));
  set('maxKeys', maxKeys !== undefined && MAX_KEYS.test(maxKeys) ? Number(maxKeys) : undefined);
  set('versionId', q.get('versionId'));
  return facts;
}
