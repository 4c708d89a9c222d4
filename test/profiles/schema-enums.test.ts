import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOUDS, ENGINES, enginesOn, type CloudName } from '../../src/profiles/index.js';
import { REPO_ROOT } from '../helpers/repo.js';

const schema = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', `${name}.schema.json`), 'utf8'));
const regenerate = 'run npm run build && node scripts/gen-engine-enums.mjs && node scripts/gen-types.mjs';

describe('schema engine lists are generated from the engine profiles', () => {
  const all = ENGINES.map((e) => e.name);

  it(`database.schema.json $defs/Engine (${regenerate})`, () => {
    expect(schema('database').$defs.Engine.enum).toEqual(all);
  });

  it('database.schema.json: each cloud allows exactly the engines with a profile for it', () => {
    const branches = schema('database').$defs.DatabaseSpec.allOf as {
      if?: { properties?: { cloud?: { const?: string } } };
      then?: { properties?: { engine?: { enum?: string[] } } };
    }[];
    for (const cloud of Object.keys(CLOUDS) as CloudName[]) {
      const branch = branches.find((b) => b.if?.properties?.cloud?.const === cloud && b.then?.properties?.engine);
      expect(branch?.then?.properties?.engine?.enum, cloud).toEqual(enginesOn(cloud));
    }
  });

  it('config.schema.json $defs/SizeMap keys', () => {
    expect(schema('config').$defs.SizeMap.propertyNames.enum).toEqual(all);
  });

  it('src/spec/generated.ts Engine type', () => {
    const generated = readFileSync(join(REPO_ROOT, 'src', 'spec', 'generated.ts'), 'utf8');
    // Prettier writes a long union with a leading "|": the same type.
    expect(generated.replace(/\s+/g, ' ').replace('export type Engine = | ', 'export type Engine = ')).toContain(
      `export type Engine = ${all.map((e) => `'${e}'`).join(' | ')};`,
    );
  });
});
