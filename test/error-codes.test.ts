// The error-code catalogue is the only place a DBAAS_* code is spelled, every code in it is used, and
// docs/error-codes.md is generated from it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { ERR, ERROR_CODES, REFUSAL_CODES, errorCodesMarkdown, isErrorCode } from '../src/error-codes.js';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const CATALOGUE = join(SRC, 'error-codes.ts');
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const sources = tsFiles(SRC)
  .filter((f) => f !== CATALOGUE)
  .map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
// Environment variables share the prefix (README "Environment"); they are names, not problem codes.
// One list, read by the codemod too.
const ENV_NAMES = new Set(JSON.parse(readFileSync(join(ROOT, 'scripts', 'env-names.json'), 'utf8')) as string[]);

describe('error-code catalogue', () => {
  it('no DBAAS_ code is spelled as a string literal outside src/error-codes.ts', () => {
    const literals = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/(['"`])(DBAAS_[A-Z0-9_]*)/g)].filter((m) => !ENV_NAMES.has(m[2]!)).map((m) => `${file}: ${m[0]}`),
    );
    expect(literals).toEqual([]);
  });

  it('every catalogued code is referenced from src/ (ERR.X), so the docs list no dead code', () => {
    const all = sources.map((s) => s.text).join('\n');
    const unused = Object.keys(ERR).filter((short) => !new RegExp(`\\bERR\\.${short}\\b`).test(all));
    expect(unused).toEqual([]);
  });

  it('ERR maps each short name to its full code, and every entry has an exit class, summary and fix', () => {
    expect(ERR.INCOMPLETE_BACKUP).toBe('DBAAS_INCOMPLETE_BACKUP');
    expect(Object.values(ERR).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^DBAAS_[A-Z0-9_]+$/);
      expect(['findings', 'invalid', 'internal', 'warning']).toContain(info.exit);
      expect(info.summary, code).toMatch(/^\S.{8,}\.$/);
      expect(info.fix, code).toMatch(/^\S.{8,}\.$/);
      expect(`${info.summary}${info.fix}`, code).not.toMatch(/\n/);
    }
    expect(isErrorCode('DBAAS_UNKNOWN_FIELD')).toBe(true);
    expect(isErrorCode('DBAAS_NOT_A_CODE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect([...REFUSAL_CODES].sort()).toEqual(['DBAAS_UNSUPPORTED_FIELD', 'DBAAS_UNSUPPORTED_GCP']);
  });

  it('docs/error-codes.md is in sync (npm run build && node scripts/gen-error-codes-md.mjs) and renders one row per code', () => {
    const markdown = readFileSync(join(ROOT, 'docs', 'error-codes.md'), 'utf8');
    expect(markdown).toBe(errorCodesMarkdown());
    const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    expect(html.match(/<tr>/g)?.length).toBe(Object.keys(ERROR_CODES).length + 1);
    expect(html).toContain('<td><code>DBAAS_GCP_KMS_KEY</code></td>');
    expect(html).toContain('projects/&lt;p&gt;/locations');
  });

  const CODEMOD = join(ROOT, 'scripts', 'codemod-error-codes.mjs');
  const codemod = (...args: string[]) => {
    try {
      return { status: 0, out: execFileSync(process.execPath, [CODEMOD, ...args], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { status: e.status, out: `${e.stdout}${e.stderr}` };
    }
  };

  it('the codemod has nothing left to do on this tree (--check)', () => {
    expect(codemod('--check')).toEqual({ status: 0, out: '' });
  });

  it('the codemod rewrites literals to ERR references with one import, leaves env names, refuses unknown codes, and is idempotent', () => {
    const root = mkdtempSync(join(tmpdir(), 'dbaas-codemod-'));
    mkdirSync(join(root, 'src', 'a'), { recursive: true });
    writeFileSync(join(root, 'src', 'error-codes.ts'), readFileSync(CATALOGUE, 'utf8'));
    const file = join(root, 'src', 'a', 'b.ts');
    const before = [
      '// a file',
      "import { problem } from '../errors.js';",
      '',
      "export type C = 'DBAAS_GUARDRAIL' | 'DBAAS_WAIVER_UNUSED';",
      "export const p = problem({ code: 'DBAAS_UNKNOWN_FIELD', message: `see DBAAS_NOW` });",
      'export const env = process.env[\'DBAAS_NOW\'] ?? "DBAAS_NO_REPO";',
      '',
    ].join('\n');
    writeFileSync(file, before);
    expect(codemod('--root', root).status).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(
      [
        '// a file',
        "import { problem } from '../errors.js';",
        "import { ERR } from '../error-codes.js';",
        '',
        'export type C = typeof ERR.GUARDRAIL | typeof ERR.WAIVER_UNUSED;',
        'export const p = problem({ code: ERR.UNKNOWN_FIELD, message: `see DBAAS_NOW` });',
        "export const env = process.env['DBAAS_NOW'] ?? ERR.NO_REPO;",
        '',
      ].join('\n'),
    );
    expect(codemod('--root', root, '--check')).toEqual({ status: 0, out: '' });
    writeFileSync(join(root, 'src', 'a', 'new.ts'), "export const x = 'DBAAS_BRAND_NEW';\n");
    const refused = codemod('--root', root);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('not in src/error-codes.ts: DBAAS_BRAND_NEW (src/a/new.ts)');
    expect(readFileSync(join(root, 'src', 'a', 'new.ts'), 'utf8')).toContain("'DBAAS_BRAND_NEW'");
  });
});
