export * from './cluster-ca.ts';
export * from './tls-files.ts';
export * from './grpc-tls.ts';
export { buildCertificateDer, buildCertificatePem, generateEcKey, type CertificateSpec } from './x509.ts';
export * from './internal-tls-check.ts';
