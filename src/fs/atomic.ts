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

/** A file written in pieces that appears at its path, whole, only on commit(). */
export class AtomicFile {
  private readonly temp: string;
  private fd: number | undefined;
  private bytesWritten = 0;

  constructor(
    readonly target: string,
    private readonly options: AtomicWriteOptions = {},
  ) {
    mkdirSync(dirname(target), { recursive: true });
    let mode = options.mode ?? 0o644;
    if (options.mode === undefined) {
      try {
        mode = statSync(target).mode & 0o777;
      } catch {
        // a new file
      }
    }
    this.temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    this.fd = openSync(this.temp, 'wx', mode);
  }

  /** Bytes written so far: the offset the next write starts at. */
  get size(): number {
    return this.bytesWritten;
  }

  write(content: string | Uint8Array): void {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    try {
      for (let written = 0; written < bytes.length;) written += writeSync(this.fd!, bytes, written);
      this.bytesWritten += bytes.length;
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  commit(): void {
    try {
      if (this.options.durable !== false) fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = undefined;
      renameSync(this.temp, this.target);
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Drops the temp file; the target is untouched. */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // never created, or already renamed
    }
  }
}

export function writeFileAtomic(target: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const file = new AtomicFile(target, options);
  file.write(content);
  file.commit();
}
