// After healing, repair gets a bounded time to bring every stored object back to full
// redundancy; the check is asked again until it reports nothing degraded or the time is up.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RedundancyReport {
  objectsChecked: number;
  shardsChecked: number;
  /** One line per shard that is missing or corrupt. */
  degraded: string[];
}

export type RedundancyCheck = () => Promise<RedundancyReport>;

export type RedundancyOutcome =
  | { judged: false }
  | { judged: true; ok: boolean; summary: string; waitedMs: number; last?: RedundancyReport; firstDegraded: number };

const PAUSE_MS = 1_000;
const SHOWN = 10;

export async function waitForRedundancy(check: RedundancyCheck, timeoutMs: number, log: (line: string) => void = () => {}): Promise<RedundancyOutcome> {
  const started = Date.now();
  let last: RedundancyReport | undefined;
  let lastError = '';
  let firstDegraded = -1;
  for (;;) {
    try {
      last = await check();
      if (firstDegraded < 0) firstDegraded = last.degraded.length;
      if (last.degraded.length === 0) {
        const waitedMs = Date.now() - started;
        return { judged: true, ok: true, waitedMs, last, firstDegraded, summary: `full: ${last.objectsChecked} objects, ${last.shardsChecked} shards (${firstDegraded} degraded after healing, repaired in ${(waitedMs / 1000).toFixed(1)} s)` };
      }
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() - started > timeoutMs) break;
    await sleep(PAUSE_MS);
  }
  const waitedMs = Date.now() - started;
  const summary = last
    ? `${last.degraded.length} shard(s) still degraded after ${(waitedMs / 1000).toFixed(0)} s of repair: ${last.degraded.slice(0, SHOWN).join('; ')}${last.degraded.length > SHOWN ? '; …' : ''}`
    : `the redundancy scan never completed: ${lastError}`;
  log(`redundancy: ${summary}`);
  return { judged: true, ok: false, summary, waitedMs, last, firstDegraded: Math.max(firstDegraded, 0) };
}
