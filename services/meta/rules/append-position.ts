// Whether an AppendObject may land, decided against the key's current object in the apply (so
// two racing appends at the same position cannot both succeed): no object → only position 0,
// creating it; an object of another type → ObjectNotAppendable; else the position must be the
// object's size, and the grown object must stay within the appendable limits.
import { MAX_APPENDABLE_OBJECT_BYTES, MAX_APPENDED_PARTS } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { OBJECT_TYPE } from './object-type.ts';

export interface AppendTarget {
  size: bigint;
  objectType: string;
  /** Parts in its manifest (one per append so far). */
  parts: number;
}

export type AppendDecision =
  | { kind: 'create' }
  | { kind: 'grow'; partNumber: number; size: bigint };

export function decideAppend(current: AppendTarget | undefined, position: bigint, addSize: bigint, where: Record<string, string>): AppendDecision {
  if (current && current.objectType !== OBJECT_TYPE.appendable) {
    throw new MetaError('ObjectNotAppendable', 'the object is not appendable', { ...where, objectType: current.objectType || OBJECT_TYPE.normal });
  }
  const size = current?.size ?? 0n;
  if (position !== size) {
    throw new MetaError('PositionNotEqualToLength', `position ${position} is not the object's length ${size}`,
      { ...where, nextAppendPosition: String(size), currentSize: String(size) });
  }
  if (size + addSize > MAX_APPENDABLE_OBJECT_BYTES) {
    throw new MetaError('InvalidArgument', `an appendable object may hold at most ${MAX_APPENDABLE_OBJECT_BYTES} bytes`, where);
  }
  if (!current) return { kind: 'create' };
  if (current.parts >= MAX_APPENDED_PARTS) {
    throw new MetaError('InvalidArgument', `an appendable object takes at most ${MAX_APPENDED_PARTS} appends`, where);
  }
  return { kind: 'grow', partNumber: current.parts + 1, size: size + addSize };
}
