// Object answers with a body: CopyObjectResult and the DeleteObjects result.
import { isoTime } from './s3-time.ts';
import { writeChecksums } from './xml-fragments.ts';
import { XmlWriter } from './xml-writer.ts';

export function renderCopyObjectResult(r: { etag: string; lastModifiedMs: number | bigint; checksums?: Readonly<Record<string, string>> }): string {
  const w = XmlWriter.document('CopyObjectResult').leaf('LastModified', isoTime(r.lastModifiedMs)).leaf('ETag', `"${r.etag}"`);
  writeChecksums(w, r.checksums);
  return w.toString();
}

/** What happened to one key of a DeleteObjects request. */
export type DeleteOutcome =
  | {
    readonly key: string;
    /** The version asked for, echoed back. */
    readonly versionId?: string;
    /** A delete marker was created, or the version removed was one. */
    readonly deleteMarker?: boolean;
    readonly deleteMarkerVersionId?: string;
    readonly error?: undefined;
  }
  | {
    readonly key: string;
    readonly versionId?: string;
    readonly error: { readonly code: string; readonly message: string };
  };

/** Outcomes in request order; Quiet mode reports only the errors. */
export function renderDeleteResult(outcomes: readonly DeleteOutcome[], options: { quiet: boolean }): string {
  const w = XmlWriter.document('DeleteResult');
  for (const o of outcomes) {
    if (o.error !== undefined) {
      w.start('Error').leaf('Key', o.key).nonEmpty('VersionId', o.versionId)
        .leaf('Code', o.error.code).leaf('Message', o.error.message).end();
    } else if (!options.quiet) {
      w.start('Deleted').leaf('Key', o.key).nonEmpty('VersionId', o.versionId);
      if (o.deleteMarker) w.leaf('DeleteMarker', true).nonEmpty('DeleteMarkerVersionId', o.deleteMarkerVersionId);
      w.end();
    }
  }
  return w.toString();
}
