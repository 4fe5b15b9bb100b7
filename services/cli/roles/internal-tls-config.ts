// Internal mutual TLS of a role process (meta, data, gateway, zone): the cluster CA, this
// process's certificate and its key, as files (mounted secrets), from --tls-ca/--tls-cert/
// --tls-key, ZONESTORE_TLS_CA/_CERT/_KEY or the config file's tlsCa/tlsCert/tlsKey. Installed
// once, before any gRPC server or client exists (see services/common/tls/grpc-tls.ts). A role
// without the material refuses to start unless --insecure-internal says plaintext gRPC is meant:
// without mTLS anything that reaches a data node's port can read every chunk.
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { internalTlsProblems, readTlsMaterial, useInternalTls, INTERNAL_TLS_NAME } from '../../common/tls/index.ts';
import { envNameOf, roleOption } from './role-config.ts';

export const INSECURE_INTERNAL_ENV = envNameOf('--insecure-internal');

export function addInternalTlsOptions(cmd: Command): Command {
  roleOption(cmd, '--tls-ca <file>', 'internal mutual TLS: the cluster CA (PEM); every gRPC server of this process demands, and every client presents, a certificate it issued');
  roleOption(cmd, '--tls-cert <file>', `internal mutual TLS: this process's certificate (PEM), issued by --tls-ca, naming DNS:${INTERNAL_TLS_NAME}, serverAuth and clientAuth`);
  roleOption(cmd, '--tls-key <file>', 'internal mutual TLS: the key of --tls-cert (PEM)');
  // Not through roleOption: commander turns a boolean on for any value of its variable, "false" too.
  cmd.addOption(new Option('--insecure-internal', `run internal gRPC in plaintext, without --tls-*: only where nothing else can reach these ports (${INSECURE_INTERNAL_ENV}=true)`));
  return cmd;
}

const booleanText = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

export const internalTlsSchema = z.object({
  tlsCa: z.string().min(1).optional(),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  insecureInternal: booleanText.optional(),
});

export type InternalTlsConfig = z.infer<typeof internalTlsSchema>;

/**
 * Sets --insecure-internal from ZONESTORE_INSECURE_INTERNAL (true/false/1/0) where the command
 * line did not, before the config file is merged (the file ranks below the environment).
 */
export function applyInsecureInternalEnv(cmd: Command, env: NodeJS.ProcessEnv = process.env): Command {
  const fromEnv = env[INSECURE_INTERNAL_ENV];
  if (cmd.getOptionValue('insecureInternal') === undefined && fromEnv !== undefined) {
    cmd.setOptionValueWithSource('insecureInternal', fromEnv.toLowerCase(), 'env');
  }
  return cmd;
}

/** Decides, reads and checks the material; throws a startup error naming flags and variables. */
export function resolveInternalTls(c: InternalTlsConfig): ReturnType<typeof readTlsMaterial> | null {
  const given = [c.tlsCa, c.tlsCert, c.tlsKey].filter((v) => v !== undefined).length;
  const names = '--tls-ca, --tls-cert and --tls-key (ZONESTORE_TLS_CA, ZONESTORE_TLS_CERT, ZONESTORE_TLS_KEY)';
  if (given !== 0 && given !== 3) throw new Error(`internal TLS needs all three of ${names}; ${given} given`);
  if (given === 0) {
    if (c.insecureInternal) return null;
    throw new Error(`internal gRPC needs mutual TLS: give ${names}, files issued by the cluster CA `
      + `(deploy/compose/init.sh and the Helm chart make them; see docs/deploy.md), or --insecure-internal (${INSECURE_INTERNAL_ENV}=true) for plaintext gRPC`);
  }
  if (c.insecureInternal) throw new Error(`--insecure-internal contradicts ${names}: give one or the other`);
  let m;
  try {
    m = readTlsMaterial({ caFile: c.tlsCa!, certFile: c.tlsCert!, keyFile: c.tlsKey! });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`cannot read the internal TLS material: ${e.code ? `${e.code} ${e.path ?? ''}` : e.message}`);
  }
  const problems = internalTlsProblems(m);
  if (problems.length > 0) throw new Error(`the internal TLS material (${c.tlsCert}) will not work:\n  ${problems.join('\n  ')}`);
  return m;
}

/** Installs it for every gRPC server and client of this process; returns whether TLS is on. */
export function installInternalTls(c: InternalTlsConfig): boolean {
  const m = resolveInternalTls(c);
  useInternalTls(m);
  return m !== null;
}
