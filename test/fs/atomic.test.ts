import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/fs/atomic.js';

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
