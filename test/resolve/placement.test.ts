// Each cloud places a database where its profile says (clouds.aws.accounts, clouds.gcp.projects),
// and says which one is missing in its own word.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDir } from '../../src/pipeline.js';
import { tempRepo } from '../helpers/repo.js';

describe('placement from the cloud profiles', () => {
  it('refuses an environment the cloud has no account or project for, naming which', () => {
    const dir = tempRepo('example');
    const file = join(dir, 'dbaas.config.yaml');
    // No development account or project; sessions (aws) and experiments (gcp) are development databases.
    const text = readFileSync(file, 'utf8').replace(/^ {6}development:\n(?: {8}.*\n)+/gm, '');
    writeFileSync(file, text);
    const result = resolveDir(dir);
    const messages = (result.ok ? [] : result.problems).filter((p) => p.code === 'DBAAS_NO_ACCOUNT').map((p) => p.message);
    expect(messages).toContain('aws has no account for environment "development" in dbaas.config.yaml; expected one of production, staging');
    expect(messages).toContain('gcp has no project for environment "development" in dbaas.config.yaml; expected one of production, staging');
  });
});
