// Every file dbaas writes goes through here: a temp file in the same folder, flushed, then renamed
// over the target, so a reader (or a crash) never sees half a file.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of a new file. Default: an existing file's mode, else 0o644. */
  readonly mode?: number;
  /** fsync before the rename, so the content survives a crash. Default: true (false for caches). */
  readonly durable?: boolean;
}

export function writeFileAtomic(target: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  mkdirSync(dirname(target), { recursive: true });
  let mode = options.mode ?? 0o644;
  if (options.mode === undefined) {
    try {
      mode = statSync(target).mode & 0o777;
    } catch {
      // a new file
    }
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      if (options.durable !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
    throw error;
  }
}
