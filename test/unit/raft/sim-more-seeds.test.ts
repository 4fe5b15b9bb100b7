// Deterministic simulation of the Raft core, part 2 of 2 (see sim.test.ts).
import { registerSeedRange } from './sim/seed-suite.ts';

registerSeedRange(300, 600);
