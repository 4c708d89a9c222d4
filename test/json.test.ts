// One isObject: src/json.ts is the only place that says what a JSON mapping is.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isObject } from '../src/json.js';

const ROOT = join(import.meta.dirname, '..');
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('isObject', () => {
  it('is true for mappings only', () => {
    expect([{}, { a: 1 }, Object.create(null)].map(isObject)).toEqual([true, true, true]);
    expect([null, undefined, [], [1], 'x', 1, true].map(isObject)).toEqual([false, false, false, false, false, false, false]);
  });

  it('has no copy elsewhere in src/ (import it from src/json.ts)', () => {
    const copies = tsFiles(join(ROOT, 'src'))
      .filter((f) => !f.endsWith(join('src', 'json.ts')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            /\b(?:const|function)\s+is(?:Object|Record|PlainObject|JsonObject)\b|=== 'object' && \w+ !== null && !Array\.isArray\(/.test(line)
              ? [`${relative(ROOT, f)}:${i + 1}`]
              : [],
          ),
      );
    expect(copies).toEqual([]);
  });
});
