// Benchmark numbers live in bench/README.md ("Measured choices"), not in code comments that go stale.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
// "~0.5 s", "1.6 vs 1.8 s", "930 MiB", "70 ms": a timing or memory figure, in a // or /* */ comment line.
const MEASUREMENT = /(~ ?\d[\d.,]* ?(ms|s|MiB|MB|KiB|GB)\b|\d ?(ms|MiB|MB)\b|\d(\.\d+)? vs \d)/;
const COMMENT = /^\s*(\/\/|\*|\/\*)|\s\/\/\s/;
// A documented limit ("GitHub caps a job summary at 1 MiB") is a fact about the platform, not a measurement.
const LIMIT = /\b(caps?|limits?)\b/;

describe('measured choices', () => {
  it('no comment in src/ quotes a measurement', () => {
    const quoted = tsFiles(join(ROOT, 'src')).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          COMMENT.test(line) && !LIMIT.test(line) && MEASUREMENT.test(line.slice(line.search(/\/\/|\*/)))
            ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(quoted).toEqual([]);
  });

  it('bench/README.md names existing files for each measured choice', () => {
    const readme = readFileSync(join(ROOT, 'bench', 'README.md'), 'utf8');
    const section = readme.split('## Measured choices')[1]?.split('\n## ')[0] ?? '';
    const files = [...section.matchAll(/`(src\/[^`]+\.ts|scripts\/[^`]+\.mjs)`/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });
});
