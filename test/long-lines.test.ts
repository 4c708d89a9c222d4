// scripts/check-long-lines.mjs: no line in src/ over 160 characters beyond the per-file baseline.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'check-long-lines.mjs');
const run = (root: string, ...args: string[]) => {
  try {
    return { status: 0, out: execFileSync(process.execPath, [SCRIPT, '--root', root, ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, out: `${e.stdout}${e.stderr}` };
  }
};

describe('check-long-lines', () => {
  it('fails on a new long line, allows what the baseline counts, exempts URLs, and says when the baseline can shrink', () => {
    const root = mkdtempSync(join(tmpdir(), 'dbaas-long-'));
    mkdirSync(join(root, 'src'), { recursive: true });
    mkdirSync(join(root, 'scripts'), { recursive: true });
    const file = join(root, 'src', 'a.ts');
    const long = `export const a = '${'x'.repeat(160)}';`;
    writeFileSync(file, `${long}\n// see https://example.com/${'y'.repeat(160)}\nexport const b = 1;\n`);
    const failed = run(root);
    expect(failed.status).toBe(1);
    expect(failed.out).toContain('src/a.ts: 1 line(s) over 160 characters, 0 allowed');
    expect(failed.out).toContain(`src/a.ts:1: ${long.length} characters`);
    expect(failed.out).not.toContain('src/a.ts:2');

    expect(run(root, '--update').status).toBe(0);
    expect(run(root)).toEqual({ status: 0, out: '' });
    writeFileSync(file, `${long}\n${long}\n`);
    expect(run(root).status).toBe(1);
    writeFileSync(file, 'export const a = 1;\n');
    const shrunk = run(root);
    expect(shrunk.status).toBe(0);
    expect(shrunk.out).toContain('1 line(s) fewer than scripts/long-lines-baseline.json allows');
  });
});
