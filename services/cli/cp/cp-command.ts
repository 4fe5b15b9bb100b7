// `zonestore cp <source> <target>`: a local file to an object (s3://bucket/key) or back, with
// `--client-encrypt` encrypted on this machine before upload and decrypted after download
// (services/client/, docs/client-encryption.md). Progress on a terminal.
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import {
  AesMasterKey, ClientEncryptionError, EncryptionClient, KmsJsonClient, KmsMasterKey, RsaMasterKey, S3Error,
  SignedHttpTransport, downloadFile, uploadFile, CEK_ALG_AES_GCM, DEFAULT_PART_SIZE, type MasterKey,
} from '../../client/index.ts';
import { DEFAULT_DATA_DIR } from '../zone/zone-layout.ts';
import { cpDirection, parseAesKeyFile, parseByteSize, resolveConnection, type CpConnection } from './cp-arguments.ts';

/** Parts in flight at most (each holds a part's plaintext and ciphertext in memory). */
const MAX_CONCURRENCY = 64;

interface CpOptions {
  clientEncrypt?: boolean;
  rsaKey?: string;
  aesKeyFile?: string;
  kmsKeyId?: string;
  matdesc?: string;
  gcm?: boolean;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  region: string;
  caFile?: string;
  dataDir: string;
  partSize: string;
  concurrency: string;
  progress: boolean;
}

const HELP_AFTER = `
Examples:
  openssl genrsa -out my.pem 2048
  zonestore cp --client-encrypt --rsa-key my.pem report.pdf s3://docs/report.pdf
  zonestore cp --client-encrypt --rsa-key my.pem s3://docs/report.pdf ./report.pdf

  openssl rand -out my.key 32
  zonestore cp --client-encrypt --aes-key-file my.key big.tar s3://backups/big.tar --part-size 16MiB

  zonestore cp --client-encrypt --kms-key-id alias/backups big.tar s3://backups/big.tar \\
    --endpoint https://gw.example:9443 --ca-file cluster-ca.pem

Objects are stored in the OSS client-side encryption format (AES-256-CTR, the content key wrapped
by the master key); an OSS crypto client holding the same RSA key or KMS key reads them.
Credentials: --access-key-id/--secret-access-key, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
else the local cluster's root key (--data-dir). Endpoint: --endpoint, else AWS_ENDPOINT_URL, else
the local cluster.`;

export function registerCpCommand(program: Command): void {
  program.command('cp <source> <target>')
    .description('copy a local file to an object (s3://bucket/key) or an object to a local file, encrypted and decrypted on this machine (--client-encrypt; plain copies are for the aws CLI or ali-oss)')
    .option('--client-encrypt', 'encrypt before upload / decrypt after download with the master key given (OSS client-side encryption format)')
    .option('--rsa-key <pem>', 'RSA key PEM file: a private key (upload and download) or a public key (upload only)')
    .option('--aes-key-file <file>', 'AES-256 master key file: 32 bytes raw, hex or base64')
    .option('--kms-key-id <id>', 'KMS key id, ARN or alias/… of the cluster KMS: the content key comes from GenerateDataKey')
    .option('--matdesc <json>', 'material description stored with the object (a JSON object of strings)')
    .option('--gcm', 'upload: authenticate the content with AES-256-GCM (cek-alg AES/GCM/NoPadding as the AWS S3 encryption client v2; one PUT; OSS clients cannot read it). Downloads follow the object')
    .option('--endpoint <url>', 'gateway URL (default: AWS_ENDPOINT_URL, else the local cluster of --data-dir)')
    .option('--access-key-id <id>', 'access key id (default: AWS_ACCESS_KEY_ID)')
    .option('--secret-access-key <secret>', 'secret access key (default: AWS_SECRET_ACCESS_KEY)')
    .option('--region <region>', 'SigV4 signing region', process.env.AWS_REGION ?? 'us-east-1')
    .option('--ca-file <pem>', 'CA certificate that signed an https endpoint (the cluster CA)')
    .option('--data-dir <dir>', 'data directory of a local `zonestore up` cluster', DEFAULT_DATA_DIR)
    .option('--part-size <size>', 'multipart part size (files larger than this go in parts; a multiple of 16)', `${DEFAULT_PART_SIZE / 1024 / 1024}MiB`)
    .option('--concurrency <n>', 'parts in flight at once', '4')
    .option('--no-progress', 'no progress bar (it is drawn only on a terminal anyway)')
    .addHelpText('after', HELP_AFTER)
    .action(async (source: string, target: string, o: CpOptions) => {
      try {
        await runCp(source, target, o);
      } catch (err) {
        process.stderr.write(`zonestore cp: ${describeError(err)}\n`);
        process.exitCode = 1;
      }
    });
}

async function runCp(source: string, target: string, o: CpOptions): Promise<void> {
  const direction = cpDirection(source, target);
  const connection = resolveConnection(o, process.env);
  // The KMS client's own connection (made only for --kms-key-id), closed with the S3 one.
  let kmsTransport: SignedHttpTransport | undefined;
  const transport = (): SignedHttpTransport => (kmsTransport = new SignedHttpTransport(transportOptions(connection, o)));
  if (!o.clientEncrypt && (o.rsaKey || o.aesKeyFile || o.kmsKeyId)) throw new Error('a master key was given without --client-encrypt');
  if (!o.clientEncrypt) throw new Error('zonestore cp copies with --client-encrypt only (use the aws CLI or ali-oss for plain copies)');
  const masterKey = masterKeyOf(o, transport);
  const client = new EncryptionClient({ ...transportOptions(connection, o), masterKey, ...(o.gcm ? { contentAlgorithm: CEK_ALG_AES_GCM } : {}) });
  const bar = o.progress && process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: ' {bar} {percentage}% | {value}/{total} bytes | {eta_formatted} left', hideCursor: true, clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  const onProgress = (done: number, total: number): void => {
    if (!bar) return;
    if (!started) { bar.start(total, 0); started = true; }
    bar.update(done);
  };
  try {
    if (direction.kind === 'upload') {
      const partSize = parseByteSize(o.partSize);
      const concurrency = Number(o.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) throw new Error(`--concurrency must be 1..${MAX_CONCURRENCY}, not ${o.concurrency}`);
      const r = await uploadFile(client, direction.object.bucket, direction.object.key, direction.file, { partSize, concurrency, onProgress });
      bar?.stop();
      process.stdout.write(`upload: ${direction.file} → s3://${direction.object.bucket}/${direction.object.key} (${r.size} bytes, ${client.contentAlgorithm}, key wrapped with ${masterKey.wrapAlgorithm}${r.multipart ? ', multipart' : ''})\n`);
    } else {
      let file = direction.file;
      if (file.endsWith('/') || isDirectory(file)) file = join(file, basename(direction.object.key));
      const r = await downloadFile(client, direction.object.bucket, direction.object.key, file, { onProgress });
      bar?.stop();
      process.stdout.write(`download: s3://${direction.object.bucket}/${direction.object.key} → ${file} (${r.size} bytes, decrypted${r.verified ? ', verified' : ''})\n`);
    }
  } finally {
    bar?.stop();
    client.close();
    kmsTransport?.close();
  }
}

function transportOptions(c: CpConnection, o: CpOptions) {
  return {
    endpoint: c.endpoint, region: o.region,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) },
    ...(o.caFile ? { caFile: o.caFile } : {}),
  };
}

function masterKeyOf(o: CpOptions, transport: () => SignedHttpTransport): MasterKey {
  const given = [o.rsaKey, o.aesKeyFile, o.kmsKeyId].filter((k) => k !== undefined);
  if (given.length !== 1) throw new Error('--client-encrypt needs exactly one master key: --rsa-key, --aes-key-file or --kms-key-id');
  let matDesc: Record<string, string> = {};
  if (o.matdesc !== undefined) {
    const parsed: unknown = JSON.parse(o.matdesc);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      throw new Error('--matdesc must be a JSON object of strings');
    }
    matDesc = parsed as Record<string, string>;
  }
  if (o.rsaKey) {
    const pem = readFileSync(o.rsaKey, 'utf8');
    return new RsaMasterKey(/PRIVATE KEY-----/.test(pem) ? { privateKeyPem: pem, matDesc } : { publicKeyPem: pem, matDesc });
  }
  if (o.aesKeyFile) return new AesMasterKey(parseAesKeyFile(readFileSync(o.aesKeyFile)), matDesc);
  return new KmsMasterKey(new KmsJsonClient(transport()), o.kmsKeyId!, { matDesc });
}

function isDirectory(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

function describeError(err: unknown): string {
  if (err instanceof ClientEncryptionError || err instanceof S3Error) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' && e.path) return `${e.path}: no such file`;
  if (e.code === 'ECONNREFUSED') return `cannot connect: ${e.message}`;
  return e.message ?? String(err);
}
