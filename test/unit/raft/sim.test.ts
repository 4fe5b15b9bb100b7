// Deterministic simulation of the Raft core, part 1 of 2 (the split lets the runner use both
// cores). Each seed picks 3 or 5 nodes, a fault profile (calm, lossy, partitions, crashes,
// churn, chaos, clockless walk) and sometimes membership changes; see sim/sim-options.ts.
// A failure prints the seed and `npm run sim -- --seed N …`, which replays it exactly.
import { registerSeedRange } from './sim/seed-suite.ts';

registerSeedRange(0, 300);
