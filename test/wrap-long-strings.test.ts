// scripts/wrap-long-strings.mjs splits long literals into pieces that make the same string at run time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'wrap-long-strings.mjs');

describe('wrap-long-strings', () => {
  it('splits long string and template literals into equal pieces, leaves regexes, imports and tagged templates, and is idempotent', () => {
    const root = mkdtempSync(join(tmpdir(), 'dbaas-wrap-'));
    mkdirSync(join(root, 'src'));
    const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
    const template = `\`start \${a} ${words(20, 'tw')} \${b ? 'x y' : \`z \${a}\`} ${words(15, 'end')}\``;
    const quoted = `'it\\'s ${words(30, 'qw')}'`;
    const source = [
      `export const t = (a: string, b: boolean) => ${template};`,
      `export const q = ${quoted};`,
      `export const r = /${'a b '.repeat(45)}/.test('${words(5, 'x')}');`,
      `export const g = tag\`${words(40, 'tag')}\`;`,
      '',
    ].join('\n');
    const file = join(root, 'src', 'a.ts');
    writeFileSync(file, source);
    execFileSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
    const after = readFileSync(file, 'utf8').split('\n');
    expect(after[0]).toContain(' + ');
    expect(after[1]).toContain(' + ');
    expect(after[2]).toBe(source.split('\n')[2]);
    expect(after[3]).toBe(source.split('\n')[3]);
    const value = (line: string) => line.replace(/^export const \w+ = /, '').replace(/;$/, '');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluates the test's own literals
    const evalT = (expr: string) => new Function('return ' + expr.replace(/: string|: boolean/g, ''))() as (a: string, b: boolean) => string;
    for (const b of [true, false]) expect(evalT(value(after[0]!))('A', b)).toBe(evalT(value(source.split('\n')[0]!))('A', b));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- as above
    expect(new Function(`return ${value(after[1]!)}`)()).toBe(new Function(`return ${quoted}`)());
    const once = readFileSync(file, 'utf8');
    execFileSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
    expect(readFileSync(file, 'utf8')).toBe(once);
  });
});
