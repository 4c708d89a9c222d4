// The stack cache: synthesized stacks by content key, stored in a few pack files rather than one
// file per stack: writing a small file per stack was a visible part of a large plan, one pack is not
// (bench/README.md). A pack is streamed to a temp file and renamed into place, so readers (other
// processes included) only ever see complete packs, and a run never holds all its new stacks in
// memory. A pack or an entry that does not parse reads as a miss.
//
// Pack layout: the entries one after another (each its notes and addresses as one line of JSON, then the stack's
// JSON text as it is: no escaping 20 KB of JSON inside a JSON string), then the index as JSON
// ({ key: [offset, length] }), then a fixed-size footer `dbaas-stack-pack 1 <index offset, 12 digits> <index bytes, 12 digits>\n`.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicFile } from '../fs/atomic.js';
import type { SynthesizedStack } from './types.js';

export type CachedStack = Pick<SynthesizedStack, 'json' | 'notes' | 'addresses'>;

const MAGIC = 'dbaas-stack-pack 1';
const FOOTER_BYTES = MAGIC.length + 2 * 13 + 1;
/** More packs than this and the small ones are merged (each run that builds something adds one). */
export const MAX_PACKS = 8;
/** Entries are written in chunks of about this size: a few large writes, little memory. */
const CHUNK_BYTES = 1 << 20;

type Index = Record<string, [offset: number, length: number]>;

interface Pack {
  readonly file: string;
  readonly fd: number;
  /** Bytes of entry data (the index starts here). */
  readonly dataBytes: number;
  readonly index: Index;
}

function readPack(file: string): Pack | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const footer = Buffer.alloc(FOOTER_BYTES);
    if (size < FOOTER_BYTES || readSync(fd, footer, 0, FOOTER_BYTES, size - FOOTER_BYTES) !== FOOTER_BYTES) throw new Error('short');
    const match = /^dbaas-stack-pack 1 (\d{12}) (\d{12})\n$/.exec(footer.toString('latin1'));
    if (!match) throw new Error('not a pack');
    const [indexOffset, indexBytes] = [Number(match[1]), Number(match[2])];
    if (indexOffset + indexBytes + FOOTER_BYTES !== size) throw new Error('torn');
    const indexBuffer = Buffer.alloc(indexBytes);
    if (readSync(fd, indexBuffer, 0, indexBytes, indexOffset) !== indexBytes) throw new Error('short');
    return { file, fd, dataBytes: indexOffset, index: JSON.parse(indexBuffer.toString('utf8')) as Index };
  } catch {
    if (fd !== undefined) closeSync(fd);
    return undefined;
  }
}

function readEntry(pack: Pack, key: string): CachedStack | undefined {
  const at = Object.hasOwn(pack.index, key) ? pack.index[key] : undefined;
  if (!at || at[0] + at[1] > pack.dataBytes) return undefined;
  try {
    const bytes = Buffer.alloc(at[1]);
    if (readSync(pack.fd, bytes, 0, at[1], at[0]) !== at[1]) return undefined;
    const text = bytes.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline < 0) return undefined;
    const { notes, addresses } = JSON.parse(text.slice(0, newline)) as { notes?: unknown; addresses?: unknown };
    const strings = (list: unknown): list is string[] => Array.isArray(list) && list.every((n) => typeof n === 'string');
    if (!strings(notes) || !strings(addresses)) return undefined;
    const json = text.slice(newline + 1);
    // A stack always ends with a newline; a cut-off entry does not.
    return json.endsWith('}\n') ? { json, notes, addresses } : undefined;
  } catch {
    return undefined;
  }
}

/** A pack being written: entries go to disk in chunks, only the index stays in memory. */
class PackWriter {
  private readonly file: AtomicFile;
  private readonly index: Index = {};
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private offset = 0;

  constructor(dir: string) {
    // Names start with the creation time, so sorting them lists the newest last.
    this.file = new AtomicFile(join(dir, `${Date.now().toString().padStart(15, '0')}-${process.pid}-${randomBytes(4).toString('hex')}.pack`), {
      durable: false,
    });
  }

  has(key: string): boolean {
    return Object.hasOwn(this.index, key);
  }

  add(key: string, bytes: Buffer): void {
    this.index[key] = [this.offset, bytes.length];
    this.offset += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= CHUNK_BYTES) this.flush();
  }

  commit(): void {
    this.flush();
    const index = Buffer.from(JSON.stringify(this.index));
    this.file.write(index);
    this.file.write(`${MAGIC} ${String(this.offset).padStart(12, '0')} ${String(index.length).padStart(12, '0')}\n`);
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }

  private flush(): void {
    if (!this.pendingBytes) return;
    this.file.write(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** Oldest first. */
function packFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.pack'))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** How many stacks the cache folder holds (distinct keys): a cheap hint of how much a run will build. */
export function cachedStackCount(dir: string): number {
  const keys = new Set<string>();
  for (const file of packFiles(dir)) {
    const pack = readPack(file);
    if (!pack) continue;
    for (const key of Object.keys(pack.index)) keys.add(key);
    closeSync(pack.fd);
  }
  return keys.size;
}

/**
 * One open view of a cache folder: `get` reads from the packs that existed when it was opened,
 * `put` streams new entries into a new pack, and `close` puts that pack in place (merging small
 * packs when there are more than MAX_PACKS). Failing to read or write the cache only costs speed.
 */
export class StackCache {
  /** Newest first, so a rebuilt entry shadows a damaged older one. */
  private readonly packs: Pack[];
  private writer: PackWriter | undefined;
  private writable = true;

  constructor(readonly dir: string) {
    this.packs = packFiles(dir)
      .reverse()
      .flatMap((file) => readPack(file) ?? []);
  }

  get(key: string): CachedStack | undefined {
    for (const pack of this.packs) {
      const entry = readEntry(pack, key);
      if (entry) return entry;
    }
    return undefined;
  }

  put(key: string, stack: CachedStack): void {
    if (!this.writable) return;
    try {
      this.writer ??= new PackWriter(this.dir);
      this.writer.add(key, Buffer.from(`${JSON.stringify({ notes: stack.notes, addresses: stack.addresses })}\n${stack.json}`));
    } catch {
      this.writable = false;
      this.writer?.abort();
      this.writer = undefined;
    }
  }

  /** Puts the new pack in place, merges packs when there are too many, and closes the files. */
  close(): void {
    try {
      this.writer?.commit();
      this.compact();
    } catch {
      this.writer?.abort();
    } finally {
      this.writer = undefined;
      for (const pack of this.packs) closeSync(pack.fd);
      this.packs.length = 0;
    }
  }

  /**
   * Keeps the pack count small without rewriting the bulk on every run: the largest pack stays as it
   * is while it outweighs all the others together; the rest are merged into one new pack.
   */
  private compact(): void {
    const files = packFiles(this.dir);
    if (files.length <= MAX_PACKS) return;
    const packs: Pack[] = [];
    for (const file of files) {
      const pack = readPack(file);
      if (pack) packs.push(pack);
      else unlinkSync(file); // torn or not a pack: it can never be read
    }
    try {
      if (packs.length <= 1) return;
      const largest = packs.reduce((a, b) => (b.dataBytes > a.dataBytes ? b : a));
      const rest = packs.reduce((n, p) => n + p.dataBytes, 0) - largest.dataBytes;
      const merge = largest.dataBytes > rest ? packs.filter((p) => p !== largest) : packs;
      if (merge.length < 2) return;
      // Newest first and the first copy of a key wins; one pack's data in memory at a time, copied as bytes.
      const merged = new PackWriter(this.dir);
      for (const pack of [...merge].reverse()) {
        const data = Buffer.alloc(pack.dataBytes);
        if (readSync(pack.fd, data, 0, data.length, 0) !== data.length) continue;
        for (const [key, [offset, length]] of Object.entries(pack.index)) {
          if (offset + length <= data.length && !merged.has(key)) merged.add(key, data.subarray(offset, offset + length));
        }
      }
      merged.commit();
      for (const pack of merge) unlinkSync(pack.file);
    } finally {
      for (const pack of packs) closeSync(pack.fd);
    }
  }
}
