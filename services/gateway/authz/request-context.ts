// What the gateway knows about a request when it asks for a decision. Everything time- or
// network-dependent arrives here (the evaluator reads no clock and no socket).
import { parseIpAddress, type IpAddress } from './ip-address.ts';
import type { PermissionId } from './permissions.ts';

/** Who signed the request: nobody, an account's own (root) key, or a user's key under an account. */
export type RequestPrincipal =
  | { readonly type: 'anonymous' }
  | { readonly type: 'account'; readonly accountId: string }
  | { readonly type: 'user'; readonly accountId: string; readonly userId: string; readonly userName: string };

/** How the credentials travelled: `s3:authType`'s values; undefined for anonymous requests. */
export type AuthType = 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST';

/** Facts about the request that conditions test; optional ones are absent from the request context when undefined. */
export interface RequestFacts {
  /** The gateway's clock at the request, epoch milliseconds (`aws:CurrentTime`, `aws:EpochTime`). */
  readonly currentTime: number;
  /** Whether the request came over TLS (`aws:SecureTransport`). */
  readonly secureTransport: boolean;
  /** The client's address as the socket reports it (`aws:SourceIp`). */
  readonly sourceIp?: string;
  readonly referer?: string;
  readonly userAgent?: string;
  readonly authType?: AuthType;
  /** `AWS4-HMAC-SHA256`, `OSS4-HMAC-SHA256`, `OSS` (`s3:signatureversion`). */
  readonly signatureVersion?: string;
  /** Listing parameters (`s3:prefix` / `oss:Prefix`, `s3:delimiter`, `s3:max-keys`). */
  readonly prefix?: string;
  readonly delimiter?: string;
  readonly maxKeys?: number;
  /** `x-amz-server-side-encryption` (or OSS's) request header, e.g. `AES256`, `aws:kms`, `KMS`. */
  readonly serverSideEncryption?: string;
  readonly sseKmsKeyId?: string;
  /** The canned ACL the request sets (`x-amz-acl` / `x-oss-object-acl`). */
  readonly acl?: string;
  readonly versionId?: string;
  /** The cluster's region, matched against the region field of `acs:oss:<region>:…` resources. */
  readonly region?: string;
}

/** One request as the evaluator sees it: resolved once per decision, shared by every policy. */
export class EvaluationRequest {
  private parsedIp: IpAddress | null | undefined;

  constructor(
    readonly principal: RequestPrincipal,
    readonly permission: PermissionId,
    /** `''` for service-level requests, `bucket`, or `bucket/key`: what resource patterns match. */
    readonly resourcePath: string,
    /** The account that owns the resource (matched by `acs:oss:*:<account>:…`); undefined when there is none yet. */
    readonly resourceOwner: string | undefined,
    readonly facts: RequestFacts,
  ) {}

  /** The source address, parsed once; undefined when absent or unparseable. */
  sourceIp(): IpAddress | undefined {
    if (this.parsedIp === undefined) {
      this.parsedIp = this.facts.sourceIp === undefined ? null : parseIpAddress(this.facts.sourceIp) ?? null;
    }
    return this.parsedIp ?? undefined;
  }
}

/** The account a principal belongs to; undefined for anonymous. */
export function principalAccount(p: RequestPrincipal): string | undefined {
  return p.type === 'anonymous' ? undefined : p.accountId;
}
