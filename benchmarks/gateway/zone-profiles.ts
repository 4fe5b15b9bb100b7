// --profile: V8's sampling profiler in each zone process (zone-profiler-hook.mjs, toggled with
// SIGUSR2) over extra, profiled zonestore-only cells after the measured ones, so profiling never
// slows the table's numbers. Summaries use the Raft benchmark's .cpuprofile reader.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatProfileSummary, readProfile, summarizeProfile } from '../raft/cpu-profile-summary.ts';

export const PROFILE_DIR_ENV = 'ZONESTORE_GATEWAY_BENCH_PROFILE_DIR';
const HOOK = fileURLToPath(new URL('./zone-profiler-hook.mjs', import.meta.url));
/** A profile of a busy process is a few MB of JSON; writing it takes well under this. */
const PROFILE_WRITE_TIMEOUT_MS = 30_000;

export class ZoneProfiler {
  private readonly written = new Map<number, number>();

  private constructor(readonly dir: string) {}

  static create(): ZoneProfiler {
    return new ZoneProfiler(mkdtempSync(join(tmpdir(), 'zs-gateway-bench-profiles-')));
  }

  /** The environment that makes a zone process load the hook. */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${HOOK}`.trim(), [PROFILE_DIR_ENV]: this.dir };
  }

  /** Starts (or, called again, stops) the profiler in every hooked process; returns those signalled. */
  toggle(pids: readonly number[]): number[] {
    const hooked = pids.filter((pid) => existsSync(join(this.dir, `${pid}.hooked`)));
    for (const pid of hooked) process.kill(pid, 'SIGUSR2');
    return hooked;
  }

  /** Waits for the profile each of `pids` writes on its stop toggle; copies it to `keepDir`. */
  async collect(pids: readonly number[], keepDir: string, name: (pid: number) => string): Promise<Map<number, string>> {
    mkdirSync(keepDir, { recursive: true });
    const deadline = Date.now() + PROFILE_WRITE_TIMEOUT_MS;
    const files = new Map<number, string>();
    for (const pid of pids) {
      const n = this.written.get(pid) ?? 0;
      const source = join(this.dir, `${pid}-${n}.cpuprofile`);
      while (!existsSync(source) && Date.now() < deadline) await sleep(100);
      if (!existsSync(source)) continue;
      this.written.set(pid, n + 1);
      const file = join(keepDir, `${name(pid)}.cpuprofile`);
      copyFileSync(source, file);
      files.set(pid, file);
    }
    return files;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The summary of one profile as text, trimmed to `top` rows per list. */
export function profileText(title: string, file: string, top: number): string {
  const s = summarizeProfile(readProfile(file), top);
  s.areas = s.areas.slice(0, top);
  return formatProfileSummary(title, s);
}

/** "N ms busy of M ms sampled" for a profile, for the zones not shown in full. */
export function profileBusyLine(title: string, file: string): string {
  const s = summarizeProfile(readProfile(file), 1);
  return `${title}: ${s.busyMs.toFixed(0)} ms busy of ${s.totalMs.toFixed(0)} ms sampled`;
}
