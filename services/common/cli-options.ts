// Commander argument parsers shared by the service process entries: each throws
// InvalidArgumentError, which commander prints as a usage error.
import { InvalidArgumentError } from 'commander';

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

export function positiveInt(value: string): number {
  const n = nonNegativeInt(value);
  if (n === 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function hostPort(value: string): string {
  if (!/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d+$/.test(value)) throw new InvalidArgumentError(`expected host:port, got "${value}"`);
  return value;
}
