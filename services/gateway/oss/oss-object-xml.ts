// Object answers with a body in OSS's shapes: CopyObjectResult, the DeleteMultipleObjects
// result and an object's tag set.
import { type DeleteOutcome, isoTime } from '../s3/index.ts';
import { ossCodeName } from './oss-error-response.ts';
import { ossDocument } from './oss-xml-fragments.ts';

export function renderOssCopyObjectResult(r: { etag: string; lastModifiedMs: number | bigint; checksums?: Readonly<Record<string, string>> }): string {
  return ossDocument('CopyObjectResult').leaf('ETag', `"${r.etag}"`).leaf('LastModified', isoTime(r.lastModifiedMs)).toString();
}

/**
 * Outcomes in request order; Quiet leaves out the deleted keys. OSS itself reports no per-key
 * failures (it deletes all or fails the request); we do as S3 does and list a key that could
 * not be deleted as an `<Error>`, which OSS SDKs skip: a failed key then simply is not among
 * the Deleted ones, rather than being claimed deleted.
 */
export function renderOssDeleteResult(outcomes: readonly DeleteOutcome[], options: { quiet: boolean }): string {
  const w = ossDocument('DeleteResult');
  for (const o of outcomes) {
    if (o.error !== undefined) {
      w.start('Error').leaf('Key', o.key).nonEmpty('VersionId', o.versionId).leaf('Code', ossCodeName(o.error.code)).leaf('Message', o.error.message).end();
    } else if (!options.quiet) {
      w.start('Deleted').leaf('Key', o.key).nonEmpty('VersionId', o.versionId);
      if (o.deleteMarker) w.leaf('DeleteMarker', true).nonEmpty('DeleteMarkerVersionId', o.deleteMarkerVersionId);
      w.end();
    }
  }
  return w.toString();
}

/** GetObjectTagging: tags in key order, so the document is the same however they were stored. */
export function renderOssTagging(tags: Readonly<Record<string, string>>): string {
  const w = ossDocument('Tagging').start('TagSet');
  for (const key of Object.keys(tags).sort()) w.start('Tag').leaf('Key', key).leaf('Value', tags[key]!).end();
  return w.toString();
}
