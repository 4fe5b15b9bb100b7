// Every process and temp dir the benchmark creates is registered here, so that a normal end,
// a thrown error, Ctrl-C or SIGTERM all tear down the same set: no stray etcd or kv node may
// outlive the run and skew the next one (or another helper's tests on this 2-core machine).
import { spawn, fork, type ChildProcess, type SpawnOptions, type ForkOptions } from 'node:child_process';
import { rmSync } from 'node:fs';

/** How long a child gets after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000;

export interface RegisteredChild {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<string>;
}

export class ChildRegistry {
  private readonly children = new Set<RegisteredChild>();
  private readonly tempDirs = new Set<string>();

  spawn(name: string, command: string, args: string[], options: SpawnOptions): RegisteredChild {
    return this.track(name, spawn(command, args, options));
  }

  fork(name: string, modulePath: string, args: string[], options: ForkOptions): RegisteredChild {
    return this.track(name, fork(modulePath, args, options));
  }

  addTempDir(dir: string): void {
    this.tempDirs.add(dir);
  }

  /** Children still running (for CPU sampling of a whole side). */
  running(): RegisteredChild[] {
    return [...this.children];
  }

  /** SIGTERM, wait up to STOP_GRACE_MS, then SIGKILL. */
  async stop(child: RegisteredChild): Promise<void> {
    if (!this.children.has(child)) return;
    signal(child, 'SIGTERM');
    const timer = setTimeout(() => signal(child, 'SIGKILL'), STOP_GRACE_MS);
    await child.exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c)));
    this.removeTempDirs();
  }

  /** Synchronous last resort for process 'exit': no waiting is possible there. */
  killAllNow(): void {
    for (const child of this.children) signal(child, 'SIGKILL');
    this.removeTempDirs();
  }

  private removeTempDirs(): void {
    for (const dir of this.tempDirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // a child may still be writing into it while dying; nothing useful to do at exit
      }
    }
    this.tempDirs.clear();
  }

  private track(name: string, proc: ChildProcess): RegisteredChild {
    if (proc.pid === undefined) throw new Error(`failed to start ${name}`);
    let resolveExit!: (how: string) => void;
    const exited = new Promise<string>((resolve) => (resolveExit = resolve));
    const child: RegisteredChild = { name, process: proc, pid: proc.pid, exited };
    this.children.add(child);
    proc.once('exit', (code, sig) => {
      this.children.delete(child);
      resolveExit(sig ?? String(code));
    });
    proc.once('error', (err) => {
      this.children.delete(child);
      resolveExit(`error: ${err.message}`);
    });
    return child;
  }
}

function signal(child: RegisteredChild, sig: NodeJS.Signals): void {
  try {
    process.kill(child.pid, sig);
  } catch {
    // already gone
  }
}
