import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SPEC_FILE_BYTES } from '../../src/load/files.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { resolveDir } from '../../src/pipeline.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const codes = (dir: string) => {
  const result = resolveDir(dir);
  return result.ok ? [] : result.problems;
};

describe('reading spec files', () => {
  it('refuses a file over the size cap, naming the size and the cap', () => {
    const dir = tempRepo();
    writeFileSync(join(dir, 'stacks', 'huge.yaml'), `# ${'x'.repeat(MAX_SPEC_FILE_BYTES)}\n`);
    const [p] = codes(dir);
    expect(p?.code).toBe('DBAAS_FILE_TOO_LARGE');
    expect(p?.location).toEqual({ file: 'stacks/huge.yaml', line: 1, column: 1 });
    expect(p?.message).toMatch(new RegExp(`expected at most ${MAX_SPEC_FILE_BYTES} bytes`));
  });

  it('refuses bytes that are not UTF-8, pointing at the line and column', () => {
    const dir = tempRepo();
    const bytes = Buffer.concat([Buffer.from('apiVersion: dbaas.dev/v1\nkind: Data'), Buffer.from([0xff, 0xfe]), Buffer.from('base\n')]);
    writeFileSync(join(dir, 'stacks', 'latin.yaml'), bytes);
    const [p] = codes(dir);
    expect(p?.code).toBe('DBAAS_NOT_UTF8');
    expect(p?.location).toEqual({ file: 'stacks/latin.yaml', line: 2, column: 11 });
    expect(p?.message).toContain('byte 0xff at offset 35');
  });

  it('refuses a symbolic link that leads outside the repo, and follows one that stays inside', () => {
    const dir = tempRepo();
    const outside = mkdtempSync(join(tmpdir(), 'dbaas-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), 'kind: Database\n');
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'stacks', 'escape.yaml'));
    symlinkSync(outside, join(dir, 'stacks', 'escape-dir'));
    mkdirSync(join(dir, 'shared'));
    symlinkSync(join(dir, 'stacks', 'team-a'), join(dir, 'stacks', 'alias-inside'));
    const problems = codes(dir);
    expect(problems.map((p) => [p.code, p.location?.file])).toEqual([
      ['DBAAS_SYMLINK_OUTSIDE_REPO', 'stacks/escape-dir'],
      ['DBAAS_SYMLINK_OUTSIDE_REPO', 'stacks/escape.yaml'],
    ]);
    // The inside link reaches a folder that is read anyway: its files are read once (no duplicate names).
    expect(readRepoFiles(dir).specs).toHaveLength(1);
  });

  it('refuses a link that points at nothing, and reads the specs beside it', () => {
    const dir = tempRepo();
    symlinkSync(join(dir, 'stacks', 'gone.yaml'), join(dir, 'stacks', 'team-a', 'dangling.yaml'));
    expect(codes(dir).map((p) => [p.code, p.location?.file, p.message])).toEqual([
      ['DBAAS_SYMLINK_OUTSIDE_REPO', 'stacks/team-a/dangling.yaml', 'symbolic link points at nothing; expected files inside the repo'],
    ]);
    expect(readRepoFiles(dir).specs.map((f) => f.file)).toEqual(['stacks/team-a/app.yaml']);
  });

  it('names a linked spec by where it really is, so a link cannot move it into another team folder', () => {
    const dir = tempRepo();
    mkdirSync(join(dir, 'elsewhere'));
    renameSync(join(dir, 'stacks', 'team-a', 'app.yaml'), join(dir, 'elsewhere', 'app.yaml'));
    symlinkSync(join(dir, 'elsewhere', 'app.yaml'), join(dir, 'stacks', 'team-a', 'app.yaml'));
    expect(readRepoFiles(dir).specs.map((f) => f.file)).toEqual(['elsewhere/app.yaml']);
    expect(codes(dir).map((p) => [p.code, p.location?.file, p.message])).toEqual([
      ['DBAAS_TEAM_FOLDER', 'elsewhere/app.yaml', "Database is in elsewhere/app.yaml; expected it under its team's folder, stacks/team-a/"],
    ]);
  });

  it('says how to start when there is no config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-empty-'));
    const [p] = codes(dir);
    expect(p?.code).toBe('DBAAS_CONFIG_MISSING');
    expect(p?.message).toMatch(/run dbaas init, or pass --dir/);
  });
});
