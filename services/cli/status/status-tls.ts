// The client certificate `zonestore status` presents to a cluster whose internal gRPC is mutual
// TLS: --tls-ca/--tls-cert/--tls-key (or ZONESTORE_TLS_CA/_CERT/_KEY, so inside a role's pod or
// container, where those name its mounted certificate, `zonestore status` just works), else the
// launcher certificate of the local cluster in --data-dir (`zonestore up`), else none (plaintext).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { internalFiles, internalTlsProblems, readTlsMaterial, useInternalTls, type TlsFiles } from '../../common/tls/index.ts';

export interface StatusTlsOptions {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

export function addStatusTlsOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--tls-ca <file>', 'the cluster CA (PEM) for a cluster with internal mutual TLS').env('ZONESTORE_TLS_CA'))
    .addOption(new Option('--tls-cert <file>', 'a client certificate (PEM) issued by --tls-ca, e.g. a role\'s internal certificate').env('ZONESTORE_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'the key of --tls-cert (PEM)').env('ZONESTORE_TLS_KEY'));
}

/** Which files to present, or undefined for plaintext; throws when only some are given. */
export function statusTlsFiles(o: StatusTlsOptions, dataDir: string): TlsFiles | undefined {
  const given = [o.tlsCa, o.tlsCert, o.tlsKey].filter((v) => v !== undefined).length;
  if (given === 3) return { caFile: o.tlsCa!, certFile: o.tlsCert!, keyFile: o.tlsKey! };
  if (given !== 0) throw new Error(`--tls-ca, --tls-cert and --tls-key go together; ${given} given`);
  // A local cluster with mutual TLS: ask as its launcher does, with the launcher's certificate.
  const launcher = internalFiles(join(resolve(dataDir), 'tls'), 'launcher');
  return existsSync(launcher.certFile) ? launcher : undefined;
}

/** Installs the client certificate for every gRPC call of this process; whether there is one. */
export function installStatusTls(o: StatusTlsOptions, dataDir: string): boolean {
  const files = statusTlsFiles(o, dataDir);
  if (!files) return false;
  const m = readTlsMaterial(files);
  const problems = internalTlsProblems(m);
  if (problems.length > 0) throw new Error(`the client certificate ${files.certFile} will not work:\n  ${problems.join('\n  ')}`);
  useInternalTls(m);
  return true;
}

/**
 * What to say when no replica answered a plaintext status: a cluster on mutual TLS drops a
 * plaintext client without a word, which looks just like a cluster that is down.
 */
export const PLAINTEXT_HINT = 'no replica answered in plaintext: if the cluster\'s internal gRPC is mutual TLS, give --tls-ca, --tls-cert and --tls-key (ZONESTORE_TLS_CA/_CERT/_KEY)';
