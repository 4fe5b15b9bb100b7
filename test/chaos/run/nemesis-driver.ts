// Carries out a nemesis schedule against a running cluster: waits for each event's moment on
// the run's clock, injects or heals through an executor, and records when each fault really
// took effect and when its heal was done (a restarted zone counts as healed once it serves).
// Those measured windows, not the planned ones, are what RTO is judged against. A fault whose
// injection fails is recorded with the error and not healed; a stop signal ends the schedule
// early and still heals whatever was injected, so a run never leaves a fault behind.
import { setTimeout as sleep } from 'node:timers/promises';
import { describeFault, type NemesisFault } from '../nemesis/nemesis-fault.ts';
import type { NemesisSchedule, ScheduledFault } from '../nemesis/nemesis-schedule.ts';

/** A fault as the cluster carried it out (`fault` with META_LEADER_ZONE resolved to a zone). */
export interface AppliedFault {
  fault: NemesisFault;
  description: string;
  injectedAt: number;
}

export interface FaultExecutor {
  inject(fault: NemesisFault): Promise<AppliedFault>;
  heal(applied: AppliedFault): Promise<void>;
}

export interface ExecutedFault {
  id: number;
  scheduled: ScheduledFault;
  /** What was done (the resolved fault), when the injection worked. */
  applied?: AppliedFault;
  description: string;
  /** On the run's clock: when the injection had taken effect, and when the heal was done. */
  startMs: number;
  endMs: number;
  injectError?: string;
  healError?: string;
}

export interface NemesisDriverOptions {
  schedule: NemesisSchedule;
  executor: FaultExecutor;
  /** The run's clock (ms), the one the schedule's times are on. */
  now: () => number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export async function driveNemesis(o: NemesisDriverOptions): Promise<ExecutedFault[]> {
  const done: ExecutedFault[] = [];
  const log = o.log ?? (() => {});
  for (const f of o.schedule.faults) {
    if (!(await waitUntil(o, f.startMs))) break;
    const planned = describeFault(f.fault);
    let applied: AppliedFault;
    try {
      applied = await o.executor.inject(f.fault);
    } catch (err) {
      const at = o.now();
      log(`#${f.id} ${planned}: injection failed: ${(err as Error).message}`);
      done.push({ id: f.id, scheduled: f, description: planned, startMs: at, endMs: at, injectError: (err as Error).message });
      continue;
    }
    const startMs = o.now();
    log(`${(startMs / 1000).toFixed(1)} s  inject #${f.id} ${applied.description}`);
    const entry: ExecutedFault = { id: f.id, scheduled: f, applied, description: applied.description, startMs, endMs: startMs };
    done.push(entry);
    // Heal at the planned moment, or at once when the run is being stopped.
    await waitUntil(o, f.endMs);
    try {
      await o.executor.heal(applied);
    } catch (err) {
      entry.healError = (err as Error).message;
      log(`#${f.id} heal failed: ${entry.healError}`);
    }
    entry.endMs = o.now();
    log(`${(entry.endMs / 1000).toFixed(1)} s  healed #${f.id}`);
  }
  return done;
}

/** Sleeps until `atMs` on the run's clock; false if the signal stopped the wait. */
async function waitUntil(o: NemesisDriverOptions, atMs: number): Promise<boolean> {
  // Timers may fire a little early against performance.now(): sleep again for the rest.
  for (;;) {
    if (o.signal?.aborted) return false;
    const wait = atMs - o.now();
    if (wait <= 0) return true;
    try {
      await sleep(Math.ceil(wait), undefined, { signal: o.signal });
    } catch {
      return false;
    }
  }
}
