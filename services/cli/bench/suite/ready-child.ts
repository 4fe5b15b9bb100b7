// A server child process of the suite (the fsync sink, nginx): spawned, waited on until ready
// (bounded), stopped with SIGTERM then SIGKILL (bounded), its temp dir removed with it.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';
import { isRunning, stopChild } from '../../../common/child-stop.ts';

export const CHILD_READY_TIMEOUT_MS = 30_000;
export const CHILD_STOP_GRACE_MS = 5_000;

export class ReadyChild {
  private constructor(readonly child: ChildProcess, readonly exited: Promise<string>, private readonly dir: string) {}

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Spawns `command`; `ready` resolves once the server serves (it sees the child's stdout) and
   * the child is stopped and rejected if that takes longer than CHILD_READY_TIMEOUT_MS.
   */
  static async start<T>(
    what: string, command: string, args: string[], dir: string, ready: (child: ChildProcess) => Promise<T>, options: SpawnOptions = {},
  ): Promise<{ child: ReadyChild; info: T }> {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4_000); });
    const handle = new ReadyChild(child, exited, dir);
    let timer: NodeJS.Timeout | undefined;
    try {
      const info = await Promise.race([
        ready(child),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} not ready within ${CHILD_READY_TIMEOUT_MS} ms: ${stderr}`)), CHILD_READY_TIMEOUT_MS); }),
        exited.then((how) => { throw new Error(`${what} exited (${how}) before it was ready: ${stderr}`); }),
      ]);
      return { child: handle, info };
    } catch (err) {
      await handle.stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await stopChild(this.child, this.exited, CHILD_STOP_GRACE_MS);
    rmSync(this.dir, { recursive: true, force: true });
  }

  killNow(): void {
    if (isRunning(this.child)) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
