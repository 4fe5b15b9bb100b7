// The test-only ack-before-commit fault: read from the environment exactly as documented, loud
// when on, refused when malformed; and its late commits run after the delay, are logged when
// they fail, and are dropped (never run) once the gateway closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { DeferredCommits } from '../../../../services/gateway/debug/deferred-commits.ts';
import {
  describeUnsafeFlags, MAX_UNSAFE_ACK_DELAY_MS, UNSAFE_ACK_BEFORE_COMMIT_ENV, unsafeFlagsFromEnv,
} from '../../../../services/gateway/debug/unsafe-flags.ts';

test('the flag is off unless the variable is set, and on with the given delay', () => {
  assert.equal(UNSAFE_ACK_BEFORE_COMMIT_ENV, 'ZONESTORE_UNSAFE_ACK_BEFORE_COMMIT_MS');
  assert.deepEqual(unsafeFlagsFromEnv({}), {});
  assert.deepEqual(unsafeFlagsFromEnv({ [UNSAFE_ACK_BEFORE_COMMIT_ENV]: '' }), {});
  assert.deepEqual(describeUnsafeFlags(unsafeFlagsFromEnv({})), []);
  assert.deepEqual(unsafeFlagsFromEnv({ [UNSAFE_ACK_BEFORE_COMMIT_ENV]: '400' }), { ackBeforeCommitMs: 400 });
  assert.deepEqual(unsafeFlagsFromEnv({ [UNSAFE_ACK_BEFORE_COMMIT_ENV]: '0' }), { ackBeforeCommitMs: 0 });
  const warning = describeUnsafeFlags({ ackBeforeCommitMs: 400 });
  assert.equal(warning.length, 1);
  assert.match(warning[0]!, /ZONESTORE_UNSAFE_ACK_BEFORE_COMMIT_MS=400.*WILL be lost/);
});

test('a malformed or out-of-range delay is refused, not ignored', () => {
  for (const bad of ['abc', '-1', '1.5', String(MAX_UNSAFE_ACK_DELAY_MS + 1), '1e9']) {
    assert.throws(() => unsafeFlagsFromEnv({ [UNSAFE_ACK_BEFORE_COMMIT_ENV]: bad }), /ZONESTORE_UNSAFE_ACK_BEFORE_COMMIT_MS/, bad);
  }
});

function memoryLog(): { log: pino.Logger; lines: () => { level: number; msg: string }[] } {
  const chunks: string[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => { chunks.push(s); } });
  return { log, lines: () => chunks.map((c) => JSON.parse(c) as { level: number; msg: string }) };
}

test('late commits run after the delay; a failed one is logged as an error', async () => {
  const { log, lines } = memoryLog();
  const deferred = new DeferredCommits(30, log);
  const ran: string[] = [];
  const started = performance.now();
  let ranAt = 0;
  deferred.defer({ key: 'a' }, async () => { ranAt = performance.now(); ran.push('a'); });
  deferred.defer({ key: 'b' }, async () => { throw new Error('PreconditionFailed'); });
  assert.deepEqual(ran, []);
  await sleep(200);
  assert.deepEqual(ran, ['a']);
  assert.ok(ranAt - started >= 25, `ran after ${ranAt - started} ms`);
  assert.ok(lines().some((l) => l.level === 50 && /late manifest commit failed/.test(l.msg)), JSON.stringify(lines()));
  assert.equal(deferred.close(), 0);
});

test('closing drops the commits not yet started, and later ones are never scheduled', async () => {
  const { log } = memoryLog();
  const deferred = new DeferredCommits(50, log);
  let ran = 0;
  deferred.defer({ key: 'a' }, async () => { ran++; });
  deferred.defer({ key: 'b' }, async () => { ran++; });
  assert.equal(deferred.close(), 2);
  deferred.defer({ key: 'c' }, async () => { ran++; });
  await sleep(150);
  assert.equal(ran, 0);
});
