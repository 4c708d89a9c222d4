import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/repo.js';

describe('spec types', () => {
  it('src/spec/generated.ts is generated from the current schemas (run node scripts/gen-types.mjs)', async () => {
    const result = await execa('node', [join(REPO_ROOT, 'scripts', 'gen-types.mjs'), '--check'], { reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

describe('output contracts', () => {
  it('schemas/output/*.schema.json are generated from the current TypeScript types (run node scripts/gen-output-schemas.mjs)', async () => {
    const result = await execa('node', [join(REPO_ROOT, 'scripts', 'gen-output-schemas.mjs'), '--check'], { reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
