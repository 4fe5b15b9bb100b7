// Mutual TLS for internal gRPC. One TlsMaterial per process (its internal certificate, issued by
// the cluster CA) turns into server credentials that demand a client certificate of that CA and
// channel credentials that present one. The process installs it once at its entry
// (zone-main, the role servers) with `useInternalTls`; every grpc server bind and client in
// services/common/grpc and the Raft transport then use it. Nothing installed = insecure (unit
// tests of single components, explicitly requested insecure clusters).
import * as grpc from '@grpc/grpc-js';
import { INTERNAL_TLS_NAME, type TlsMaterial } from './cluster-ca.ts';

let installed: TlsMaterial | null = null;

/** Makes every internal gRPC server and client of this process use mTLS with `m` (null: insecure). */
export function useInternalTls(m: TlsMaterial | null): void {
  installed = m;
}

export function internalTls(): TlsMaterial | null {
  return installed;
}

export function serverCredentialsFor(m: TlsMaterial | null): grpc.ServerCredentials {
  if (m === null) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(
    Buffer.from(m.caPem), [{ private_key: Buffer.from(m.keyPem), cert_chain: Buffer.from(m.certPem) }], true,
  );
}

export function channelCredentialsFor(m: TlsMaterial | null): grpc.ChannelCredentials {
  if (m === null) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(Buffer.from(m.caPem), Buffer.from(m.keyPem), Buffer.from(m.certPem));
}

/** Channel options a TLS client needs: the peer is checked for the internal name, not the dialled IP. */
export function tlsChannelOptions(m: TlsMaterial | null): grpc.ChannelOptions {
  return m === null ? {} : { 'grpc.ssl_target_name_override': INTERNAL_TLS_NAME, 'grpc.default_authority': INTERNAL_TLS_NAME };
}

/** The credentials of the installed material. */
export function internalServerCredentials(): grpc.ServerCredentials {
  return serverCredentialsFor(installed);
}

export function internalChannelCredentials(): grpc.ChannelCredentials {
  return channelCredentialsFor(installed);
}

export function internalChannelOptions(): grpc.ChannelOptions {
  return tlsChannelOptions(installed);
}
