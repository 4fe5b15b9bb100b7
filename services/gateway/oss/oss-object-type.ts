// An object's OSS type (x-oss-object-type, and Type in listings): Normal, Multipart,
// Appendable or Symlink. Meta records it on the version (object_type); a version written
// before the field existed has none, and is then Multipart when it was completed from parts
// and Normal otherwise.
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

export type OssObjectType = 'Normal' | 'Multipart' | 'Appendable' | 'Symlink';

const TYPES: Readonly<Record<string, OssObjectType>> = {
  normal: 'Normal', multipart: 'Multipart', appendable: 'Appendable', symlink: 'Symlink',
};

/** The fields of a version (or listing entry) its type is read from. */
export type TypedVersion = Pick<ObjectVersion, 'partsCount'> & Partial<Pick<ObjectVersion, 'objectType'>>;

export function ossObjectType(version: TypedVersion): OssObjectType {
  const recorded = version.objectType ? TYPES[version.objectType.toLowerCase()] : undefined;
  return recorded ?? (version.partsCount > 0 ? 'Multipart' : 'Normal');
}
