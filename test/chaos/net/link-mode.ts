// How a fault-injecting proxy treats the bytes of one direction of a link. A mode applies to
// every byte not yet delivered, so switching from `drop` back to `pass` releases what was held
// (in order), the way a healed partition lets TCP's retransmissions through.

export type LinkMode =
  /** Forward bytes as they come. */
  | { readonly kind: 'pass' }
  /** A blackhole: accept and hold the bytes, deliver nothing (bounded: the sender is paused). */
  | { readonly kind: 'drop' }
  /** Deliver each chunk `ms` (+ up to `jitterMs`, seeded) after it arrived, in order. */
  | { readonly kind: 'delay'; readonly ms: number; readonly jitterMs?: number }
  /** The next byte in this direction resets the connection (RST to both ends). */
  | { readonly kind: 'reset' };

/** forward: client → target (requests); backward: target → client (answers). */
export type Direction = 'forward' | 'backward';

export interface LinkModes {
  readonly forward: LinkMode;
  readonly backward: LinkMode;
}

export const PASS: LinkMode = { kind: 'pass' };
export const DROP: LinkMode = { kind: 'drop' };
export const RESET: LinkMode = { kind: 'reset' };
export const HEALTHY_LINK: LinkModes = { forward: PASS, backward: PASS };
/** Longest delay a mode may ask for: a fault, not a way to park bytes forever. */
export const MAX_DELAY_MS = 60_000;

export function delay(ms: number, jitterMs = 0): LinkMode {
  return { kind: 'delay', ms, jitterMs };
}

export function checkLinkMode(mode: LinkMode): void {
  if (mode.kind !== 'delay') return;
  const jitter = mode.jitterMs ?? 0;
  if (!(mode.ms >= 0 && jitter >= 0 && mode.ms + jitter <= MAX_DELAY_MS)) {
    throw new Error(`bad delay ${mode.ms} ms + ${jitter} ms jitter (each ≥ 0, together ≤ ${MAX_DELAY_MS} ms)`);
  }
}

export function describeLinkMode(mode: LinkMode): string {
  return mode.kind === 'delay' ? `delay ${mode.ms}±${mode.jitterMs ?? 0} ms` : mode.kind;
}
