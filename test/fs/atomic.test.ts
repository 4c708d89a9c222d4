import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeFileAtomic } from '../../src/fs/atomic.js';

describe('writeFileAtomic', () => {
  it('replaces a file, keeping its mode and leaving no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-atomic-'));
    const file = join(dir, 'spec.yaml');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o600);
    writeFileAtomic(file, 'new text\n');
    expect(readFileSync(file, 'utf8')).toBe('new text\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['spec.yaml']);
  });

  it('creates missing folders, and leaves the old file whole when the write fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-atomic-'));
    writeFileAtomic(join(dir, 'a', 'b', 'c.json'), '{}\n');
    expect(readFileSync(join(dir, 'a', 'b', 'c.json'), 'utf8')).toBe('{}\n');
    // A folder where the file should go: rename fails, the folder and its content survive, no temp is left.
    expect(() => writeFileAtomic(join(dir, 'a'), 'x')).toThrow();
    expect(readdirSync(join(dir, 'a'))).toEqual(['b']);
    expect(readdirSync(dir)).toEqual(['a']);
  });
});

describe('AtomicFile', () => {
  it('shows nothing at the target until commit, and nothing at all after abort', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-atomic-'));
    const target = join(dir, 'pack');
    const file = new AtomicFile(target, { durable: false });
    file.write('first ');
    file.write(Buffer.from('second'));
    expect(file.size).toBe(12);
    expect(readdirSync(dir)).not.toContain('pack');
    file.commit();
    expect(readFileSync(target, 'utf8')).toBe('first second');
    expect(readdirSync(dir)).toEqual(['pack']);

    const dropped = new AtomicFile(join(dir, 'other'));
    dropped.write('never seen');
    dropped.abort();
    expect(readdirSync(dir)).toEqual(['pack']);
  });
});
