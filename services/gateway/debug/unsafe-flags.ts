// Test-only faults a gateway can be started with, so the chaos harness can prove it catches what
// it must (issue #8: "a planted bug is caught"). Each flag breaks a promise of the design on
// purpose; none may ever be set outside a test. They are read once, here, from the gateway
// process's environment, and handed to the gateway as an explicit option.

/** PutObject answers 200 once the shards are stored and commits the manifest this many ms later. */
export const UNSAFE_ACK_BEFORE_COMMIT_ENV = 'ZONESTORE_UNSAFE_ACK_BEFORE_COMMIT_MS';
/** Longest accepted delay: a planted bug needs a window, not an hour. */
export const MAX_UNSAFE_ACK_DELAY_MS = 60_000;

export interface UnsafeGatewayFlags {
  /**
   * When set, every PutObject is acknowledged (200 with its ETag) as soon as its shards are
   * durable, and its manifest is committed through meta only this many ms later, in the
   * background: a write acknowledged and then lost if the gateway dies first, and a read in
   * between does not see it (neither RPO 0 nor linearizability hold).
   */
  ackBeforeCommitMs?: number;
}

export const SAFE_GATEWAY: UnsafeGatewayFlags = Object.freeze({});

/** The flags named in `env`; throws on a value that is not a whole number of ms in range. */
export function unsafeFlagsFromEnv(env: NodeJS.ProcessEnv): UnsafeGatewayFlags {
  const raw = env[UNSAFE_ACK_BEFORE_COMMIT_ENV];
  if (raw === undefined || raw.trim() === '') return SAFE_GATEWAY;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_UNSAFE_ACK_DELAY_MS) {
    throw new Error(`${UNSAFE_ACK_BEFORE_COMMIT_ENV}=${JSON.stringify(raw)}: expected whole milliseconds from 0 to ${MAX_UNSAFE_ACK_DELAY_MS}`);
  }
  return { ackBeforeCommitMs: ms };
}

/** One line per flag that is on (empty when the gateway is safe), for the startup warning. */
export function describeUnsafeFlags(f: UnsafeGatewayFlags): string[] {
  const lines: string[] = [];
  if (f.ackBeforeCommitMs !== undefined) {
    lines.push(`${UNSAFE_ACK_BEFORE_COMMIT_ENV}=${f.ackBeforeCommitMs}: PutObject is acknowledged before its manifest commits; acknowledged writes WILL be lost`);
  }
  return lines;
}
