// Entry of a load client process (forked by load-cell.ts). The parent drives the phases over
// IPC so that several client processes warm up, measure and stop at the same moments, and the
// parent can read every process's CPU at the window's edges.
import { PutLoad, type PutLoadOptions, type WindowResult } from './put-load.ts';

export type ToWorker =
  | { type: 'job'; options: PutLoadOptions; connectTimeoutMs: number }
  | { type: 'start' }
  | { type: 'measure' }
  | { type: 'stop'; drainTimeoutMs: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; result: WindowResult }
  | { type: 'failed'; message: string };

function send(message: FromWorker): void {
  process.send?.(message);
}

let load: PutLoad | undefined;

process.on('message', (message: ToWorker) => {
  void handle(message).catch((err: unknown) => {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exitCode = 1;
    process.disconnect?.();
  });
});

// If the runner dies, its IPC channel closes: never keep loading a server nobody measures.
process.on('disconnect', () => process.exit(0));

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'job':
      load = new PutLoad(message.options);
      await load.connect(message.connectTimeoutMs);
      send({ type: 'ready' });
      return;
    case 'start':
      requireLoad().start();
      return;
    case 'measure':
      requireLoad().beginWindow();
      return;
    case 'stop': {
      const result = requireLoad().endWindow();
      send({ type: 'result', result });
      await requireLoad().stop(message.drainTimeoutMs);
      process.disconnect?.();
      return;
    }
  }
}

function requireLoad(): PutLoad {
  if (!load) throw new Error('load worker: phase message before job');
  return load;
}
