// The read limit the suite measures GETs against: nginx (Debian's package, installed when
// missing) serving the same objects as plain files from a temp dir, sendfile on, no logging.
// One process (master_process off): everything it serves is a page-cache sendfile, cheap next
// to the client, and a single process is one pid to measure and to kill — a master killed
// hard would orphan its workers on the port.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../../common/free-ports.ts';
import { ReadyChild } from './ready-child.ts';

export const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
/** apt-get update + install on a slow mirror, at most. */
export const NGINX_INSTALL_TIMEOUT_MS = 300_000;
const CONNECT_POLL_MS = 100;

/** The nginx binary; installs Debian's package first when there is none and we may (root). */
export function ensureNginx(log: (line: string) => void): string {
  const found = (): string | undefined => NGINX_CANDIDATES.find((p) => existsSync(p));
  const have = found();
  if (have) return have;
  if (process.getuid?.() !== 0) throw new Error('nginx is not installed and installing it needs root: apt-get install nginx');
  log('nginx is missing: installing Debian\'s package (apt-get, bounded)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', 'nginx']]) {
    const r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: NGINX_INSTALL_TIMEOUT_MS / 2 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.signal ?? r.status}): ${r.stderr?.toString().slice(-500)}`);
  }
  const installed = found();
  if (!installed) throw new Error('apt-get installed nginx, but no nginx binary is where Debian puts it');
  return installed;
}

function config(dir: string, port: number): string {
  const temp = (name: string): string => `${name}_temp_path ${join(dir, 'tmp', name)};`;
  return `daemon off;
master_process off;
error_log stderr warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 120s;
  keepalive_requests 10000000;
  default_type application/octet-stream;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  server {
    listen 127.0.0.1:${port};
    root ${join(dir, 'www')};
  }
}
`;
}

export interface NginxServer {
  url: string;
  /** Files under it are served as /<bucket>/<key>. */
  root: string;
  process: ReadyChild;
}

export async function startNginx(log: (line: string) => void): Promise<NginxServer> {
  const binary = ensureNginx(log);
  const dir = mkdtempSync(join(tmpdir(), 'zonestore-bench-nginx-'));
  chmodSync(dir, 0o755);
  const root = join(dir, 'www');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const [port] = await freePorts(1);
  writeFileSync(join(dir, 'nginx.conf'), config(dir, port!));
  const { child } = await ReadyChild.start('nginx', binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], dir,
    () => untilListening(port!));
  return { url: `http://127.0.0.1:${port}`, root, process: child };
}

/** nginx says nothing when it is up; its port does (the caller bounds the wait). */
async function untilListening(port: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, CONNECT_POLL_MS));
  }
}
