// The few filesystem operations the chunk store performs, behind an interface so tests can
// inject failures (ENOSPC halfway through a write, EIO on fsync) without root or a tiny disk.
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';

export interface ChunkFile {
  /** Writes all of `data` at `position` (looping over short writes). */
  write(data: Uint8Array, position: number): Promise<void>;
  /** Fills `into` from `position`; returns the bytes read (short only at end of file). */
  read(into: Uint8Array, position: number): Promise<number>;
  sync(): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface FileSystemSpace {
  totalBytes: number;
  freeBytes: number;
}

export interface ChunkFileSystem {
  /** Creates a new file; fails with EEXIST when it exists. */
  create(path: string): Promise<ChunkFile>;
  openForRead(path: string): Promise<ChunkFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** fsync of a directory, making renames, creations and removals in it durable. */
  syncDir(path: string): Promise<void>;
  space(path: string): Promise<FileSystemSpace>;
}

class NodeChunkFile implements ChunkFile {
  constructor(private readonly handle: fsp.FileHandle) {}

  async write(data: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  }

  async read(into: Uint8Array, position: number): Promise<number> {
    let done = 0;
    while (done < into.length) {
      const { bytesRead } = await this.handle.read(into, done, into.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  sync(): Promise<void> {
    return this.handle.sync();
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export const nodeChunkFileSystem: ChunkFileSystem = {
  async create(path) {
    return new NodeChunkFile(await fsp.open(path, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644));
  },
  async openForRead(path) {
    return new NodeChunkFile(await fsp.open(path, 'r'));
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  async mkdir(path) {
    await fsp.mkdir(path, { recursive: true });
  },
  readdir: (path) => fsp.readdir(path),
  async syncDir(path) {
    const handle = await fsp.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async space(path) {
    const s = await fsp.statfs(path);
    return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  },
};
