// Absolute paths the benchmark needs, independent of the directory it is started from.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LOAD_WORKER_ENTRY = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
export const PROFILER_HOOK_ENTRY = fileURLToPath(new URL('./profiler-hook.ts', import.meta.url));
export const KV_NODE_ENTRY = fileURLToPath(new URL('../../services/cli/raftkv/kv-node-main.ts', import.meta.url));
