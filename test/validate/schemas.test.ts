// The build precompiles the schema validators (scripts/gen-validators.mjs); commands trust them to
// say valid or not. They must agree with ajv compiled at run time on every document we have, and on
// broken variants of each.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findYamlFiles } from '../../src/load/files.js';
import { loadSchemas, SCHEMA_ID_BY_KIND, type SchemaKind } from '../../src/validate/schemas.js';
import { REPO_ROOT } from '../helpers/repo.js';

type Check = (value: unknown) => boolean;
const precompiled = createRequire(import.meta.url)(join(REPO_ROOT, 'dist', 'validate', 'precompiled.cjs')) as Record<SchemaKind, Check>;

function documents(): { where: string; kind: SchemaKind; value: Record<string, unknown> }[] {
  const files = [
    ...['stacks', 'policies', 'templates', 'test/fixtures'].flatMap((dir) => findYamlFiles(REPO_ROOT, join(REPO_ROOT, dir)).files),
    join(REPO_ROOT, 'dbaas.config.yaml'),
  ].map((file) => relative(REPO_ROOT, file));
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(REPO_ROOT, file), 'utf8')).flatMap((doc, i) => {
      if (doc.errors.length || file.includes('alias-bomb')) return [];
      const value = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
      if (!value || typeof value !== 'object') return [];
      const kind = (file.endsWith('dbaas.config.yaml') ? 'Config' : value.kind) as SchemaKind;
      return kind in SCHEMA_ID_BY_KIND ? [{ where: `${file}#${i}`, kind, value }] : [];
    }),
  );
}

/** Broken copies: an unknown top-level field, a wrong type for each field, each field missing. */
function variants(value: Record<string, unknown>): unknown[] {
  const out: unknown[] = [{ ...value, unexpectedField: true }, [], 'text', null];
  for (const key of Object.keys(value)) {
    const { [key]: _dropped, ...rest } = value;
    out.push(rest, { ...value, [key]: 42 }, { ...value, [key]: { nested: [] } });
    const inner = value[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const innerKey of Object.keys(inner)) out.push({ ...value, [key]: { ...inner, [innerKey]: [null] } });
    }
  }
  return out;
}

describe('precompiled schema validators', () => {
  it('exist for every schema kind', () => {
    expect(Object.keys(precompiled).sort()).toEqual(Object.keys(SCHEMA_ID_BY_KIND).sort());
  });

  it('agree with run-time ajv on every document in the repo and its fixtures, and on broken variants of each', () => {
    const set = loadSchemas();
    const docs = documents();
    const kinds = new Set(docs.map((d) => d.kind));
    expect([...kinds].sort()).toEqual(Object.keys(SCHEMA_ID_BY_KIND).sort());
    let valid = 0;
    let invalid = 0;
    for (const doc of docs) {
      for (const value of [doc.value, ...variants(doc.value)]) {
        const expected = set.validator(doc.kind)(value);
        expect(precompiled[doc.kind](value), `${doc.where}: ${JSON.stringify(value).slice(0, 120)}`).toBe(expected);
        if (expected) valid++;
        else invalid++;
      }
    }
    expect(valid).toBeGreaterThan(20);
    expect(invalid).toBeGreaterThan(500);
  });
});
