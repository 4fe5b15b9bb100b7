// The obviously-correct bucket: each key's versions newest first, open uploads, the versioning
// state, written straight from S3's rules (and OSS's for appends), and the stats that follow
// from it by definition. For the bucket-stats model test.

export interface ModelVersion {
  id: string;
  marker: boolean;
  size: bigint;
  appendable: boolean;
}

export type Versioning = 'off' | 'enabled' | 'suspended';

export interface ModelStats {
  objectCount: bigint;
  storageBytes: bigint;
  noncurrentObjectCount: bigint;
  noncurrentStorageBytes: bigint;
  deleteMarkerCount: bigint;
  multipartUploadCount: bigint;
  lastModifiedMs: bigint;
}

export class BucketModel {
  versioning: Versioning = 'off';
  readonly keys = new Map<string, ModelVersion[]>();
  readonly uploads: Array<{ key: string; id: string }> = [];
  lastModifiedMs = 0n;

  touch(timeMs: bigint): void {
    this.lastModifiedMs = timeMs;
  }

  /** A new newest version (or marker) under the versioning state; `id` is what meta assigned. */
  write(key: string, v: ModelVersion): void {
    let vs = this.keys.get(key) ?? [];
    if (this.versioning !== 'enabled') vs = vs.filter((x) => x.id !== 'null');
    this.keys.set(key, [v, ...vs]);
  }

  /** DeleteObject without a version id; returns whether anything changed. */
  deleteCurrent(key: string, markerId: string): boolean {
    if (this.versioning === 'off') {
      if (!this.keys.has(key)) return false;
      this.keys.delete(key);
      return true;
    }
    this.write(key, { id: markerId, marker: true, size: 0n, appendable: false });
    return true;
  }

  removeVersion(key: string, id: string): boolean {
    const vs = this.keys.get(key) ?? [];
    const rest = vs.filter((v) => v.id !== id);
    if (rest.length === vs.length) return false;
    if (rest.length > 0) this.keys.set(key, rest);
    else this.keys.delete(key);
    return true;
  }

  current(key: string): ModelVersion | undefined {
    const top = this.keys.get(key)?.[0];
    return top && !top.marker ? top : undefined;
  }

  hasVersions(): boolean {
    return this.keys.size > 0;
  }

  stats(): ModelStats {
    const s: ModelStats = {
      objectCount: 0n, storageBytes: 0n, noncurrentObjectCount: 0n, noncurrentStorageBytes: 0n,
      deleteMarkerCount: 0n, multipartUploadCount: BigInt(this.uploads.length), lastModifiedMs: this.lastModifiedMs,
    };
    for (const vs of this.keys.values()) {
      vs.forEach((v, i) => {
        if (v.marker) s.deleteMarkerCount++;
        else if (i === 0) {
          s.objectCount++;
          s.storageBytes += v.size;
        } else {
          s.noncurrentObjectCount++;
          s.noncurrentStorageBytes += v.size;
        }
      });
    }
    return s;
  }
}
