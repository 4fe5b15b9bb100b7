// The cluster's TLS material on disk (the I/O edge of cluster-ca.ts): a directory holding the CA,
// the gateway's server certificate and one internal certificate per process name. Keys are
// written 0600. Created once, on first use; later runs reuse what is there.
//
//   <dir>/ca.pem  ca-key.pem               the cluster CA (trust ca.pem: AWS_CA_BUNDLE, --ca-bundle)
//   <dir>/gateway.pem  gateway-key.pem     HTTPS server certificate of the gateways
//   <dir>/internal/<name>.pem  <name>-key.pem   mTLS certificate of one process (gRPC server and client)
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createClusterCa, issueCertificate, issueInternalCertificate, type CaMaterial, type TlsMaterial,
} from './cluster-ca.ts';

export const KEY_FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function caFiles(dir: string): { certFile: string; keyFile: string } {
  return { certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca-key.pem') };
}

export function gatewayFiles(dir: string): TlsFiles {
  return { caFile: caFiles(dir).certFile, certFile: join(dir, 'gateway.pem'), keyFile: join(dir, 'gateway-key.pem') };
}

export function internalFiles(dir: string, name: string): TlsFiles {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`bad certificate name ${name}`);
  return { caFile: caFiles(dir).certFile, certFile: join(dir, 'internal', `${name}.pem`), keyFile: join(dir, 'internal', `${name}-key.pem`) };
}

function writePair(certFile: string, keyFile: string, certPem: string, keyPem: string): void {
  writeFileSync(keyFile, keyPem, { mode: KEY_FILE_MODE });
  chmodSync(keyFile, KEY_FILE_MODE);
  writeFileSync(certFile, certPem, { mode: 0o644 });
}

/** The CA in `dir`, created if absent. */
export function loadOrCreateCa(dir: string, now = new Date()): { ca: CaMaterial; created: boolean } {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const f = caFiles(dir);
  if (existsSync(f.certFile) && existsSync(f.keyFile)) {
    return { ca: { certPem: readFileSync(f.certFile, 'utf8'), keyPem: readFileSync(f.keyFile, 'utf8') }, created: false };
  }
  const ca = createClusterCa({ now });
  writePair(f.certFile, f.keyFile, ca.certPem, ca.keyPem);
  return { ca, created: true };
}

/** The gateway's HTTPS certificate in `dir` for `names` (DNS names and IPs), issued if absent. */
export function ensureGatewayCertificate(dir: string, names: readonly string[], now = new Date()): TlsFiles & { created: boolean } {
  const { ca } = loadOrCreateCa(dir, now);
  const f = gatewayFiles(dir);
  if (existsSync(f.certFile) && existsSync(f.keyFile)) return { ...f, created: false };
  const m = issueCertificate(ca, { commonName: 'zonestore gateway', subjectAltNames: names, usages: ['serverAuth'], now });
  writePair(f.certFile, f.keyFile, m.certPem, m.keyPem);
  return { ...f, created: true };
}

/** The internal (mTLS) certificate `name` in `dir`, issued if absent. */
export function ensureInternalCertificate(dir: string, name: string, addresses: readonly string[] = [], now = new Date()): TlsFiles & { created: boolean } {
  const { ca } = loadOrCreateCa(dir, now);
  const f = internalFiles(dir, name);
  if (existsSync(f.certFile) && existsSync(f.keyFile)) return { ...f, created: false };
  mkdirSync(join(dir, 'internal'), { recursive: true, mode: DIR_MODE });
  const m = issueInternalCertificate(ca, { commonName: name, addresses, now });
  writePair(f.certFile, f.keyFile, m.certPem, m.keyPem);
  return { ...f, created: true };
}

export function readTlsMaterial(f: TlsFiles): TlsMaterial {
  return { caPem: readFileSync(f.caFile, 'utf8'), certPem: readFileSync(f.certFile, 'utf8'), keyPem: readFileSync(f.keyFile, 'utf8') };
}
