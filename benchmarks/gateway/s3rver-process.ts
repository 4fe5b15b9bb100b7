// Starts s3rver-main.ts as a child on a free port with a fresh temp directory, waits (bounded)
// for its READY line, and stops it (SIGTERM, then SIGKILL) — the directory goes with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../services/common/free-ports.ts';
import { isRunning, stopChild } from '../../services/common/child-stop.ts';

/** tsx compiles the entry on first start; the machine may be busy with other suites. */
export const S3RVER_READY_TIMEOUT_MS = 30_000;
export const S3RVER_STOP_GRACE_MS = 5_000;
/** s3rver has one fixed account and checks no SigV4 signature, only that the key id exists. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const ENTRY = fileURLToPath(new URL('./s3rver-main.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

export class S3rverProcess {
  private constructor(readonly url: string, readonly child: ChildProcess, private readonly exited: Promise<unknown>, private readonly dir: string) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(): Promise<S3rverProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'zs-gateway-bench-s3rver-'));
    const [port] = await freePorts(1);
    const child = spawn(process.execPath, ['--import', TSX_LOADER, ENTRY, '--port', String(port), '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4_000); });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`s3rver not ready within ${S3RVER_READY_TIMEOUT_MS} ms: ${stderr}`)), S3RVER_READY_TIMEOUT_MS);
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (!line.startsWith('READY ')) return;
          clearTimeout(timer);
          resolve((JSON.parse(line.slice('READY '.length)) as { url: string }).url);
        });
        void exited.then((how) => {
          clearTimeout(timer);
          reject(new Error(`s3rver exited (${how}) before it was ready: ${stderr}`));
        });
      });
      return new S3rverProcess(url, child, exited, dir);
    } catch (err) {
      await stopChild(child, exited, S3RVER_STOP_GRACE_MS);
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async stop(): Promise<void> {
    await stopChild(this.child, this.exited, S3RVER_STOP_GRACE_MS);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** For exit handlers, where nothing can be awaited. */
  killNow(): void {
    if (isRunning(this.child)) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
