// A chaos run on disk: the history (with the details beside each op), the fault windows and the
// verdicts, as one JSON document a later session can re-check or draw. Unknown completions are
// `null` (JSON has no +∞), exactly as in memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { validateOp } from '../linearizability/register-model.ts';
import type { HistoryOp } from '../linearizability/index.ts';
import type { OpDetail } from '../workload/history-recorder.ts';
import type { FaultWindow } from '../workload/rto-check.ts';

export const HISTORY_FORMAT = 'zonestore-chaos-history/1';

export interface HistoryDocument {
  format: typeof HISTORY_FORMAT;
  seed: number;
  scenario: string;
  /** ms on the history's clock. */
  durationMs: number;
  faults: FaultWindow[];
  ops: (HistoryOp & { detail?: OpDetail })[];
  /** Whatever the run concluded (text verdicts, counts), kept as given. */
  verdicts?: Record<string, unknown>;
}

export function historyDocument(o: {
  seed: number; scenario: string; durationMs: number; faults: readonly FaultWindow[];
  history: readonly HistoryOp[]; detail?: (id: number) => OpDetail | undefined; verdicts?: Record<string, unknown>;
}): HistoryDocument {
  return {
    format: HISTORY_FORMAT, seed: o.seed, scenario: o.scenario, durationMs: o.durationMs, faults: [...o.faults],
    ops: o.history.map((op) => {
      const detail = o.detail?.(op.id);
      return detail ? { ...op, detail } : { ...op };
    }),
    ...(o.verdicts ? { verdicts: o.verdicts } : {}),
  };
}

export function writeHistoryJson(path: string, doc: HistoryDocument): void {
  writeFileSync(path, `${JSON.stringify(doc)}\n`);
}

/** Reads and validates a document (a hand-edited or truncated file fails here, not in the checker). */
export function readHistoryJson(path: string): HistoryDocument {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as HistoryDocument;
  if (doc?.format !== HISTORY_FORMAT) throw new Error(`${path}: not a ${HISTORY_FORMAT} document`);
  if (!Array.isArray(doc.ops) || !Array.isArray(doc.faults)) throw new Error(`${path}: ops and faults must be arrays`);
  for (const op of doc.ops) validateOp(op);
  return doc;
}

/** The ops without their details: what the checkers take. */
export function historyOf(doc: HistoryDocument): HistoryOp[] {
  return doc.ops.map(({ detail: _detail, ...op }) => op);
}
