// The type of an object version, as OSS names it (x-oss-object-type). The type decides what
// may be done to the object later: only an Appendable object takes AppendObject, and a
// Symlink's bytes are empty (its target is in its user metadata, the gateway's business).
import { MetaError } from '../meta-error.ts';

export const OBJECT_TYPE = {
  normal: 'Normal',
  multipart: 'Multipart',
  appendable: 'Appendable',
  symlink: 'Symlink',
} as const;

export type ObjectType = (typeof OBJECT_TYPE)[keyof typeof OBJECT_TYPE];

/**
 * The type a PutObject stores. Multipart and Appendable objects come only from their own
 * commands, whose rules (part list, append position) a PutObject would bypass.
 */
export function objectTypeOfPut(requested: string, where: Record<string, string>): ObjectType {
  if (requested === '' || requested === OBJECT_TYPE.normal) return OBJECT_TYPE.normal;
  if (requested === OBJECT_TYPE.symlink) return OBJECT_TYPE.symlink;
  throw new MetaError('InvalidArgument', `PutObject cannot write an object of type ${JSON.stringify(requested)}`, where);
}
