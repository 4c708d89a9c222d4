// Team rules fail closed: a Database lives in stacks/<its team>/, its team is listed in the config's
// teams:, and the team lists the environment. Any of these missing is invalid input (exit 2).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from '../../src/errors.js';
import { readRepoFiles, type RepoFiles } from '../../src/load/repo.js';
import { resolveFiles } from '../../src/pipeline.js';
import { FIXTURES } from '../helpers/repo.js';

const minimal = readRepoFiles(join(FIXTURES, 'repos', 'pass-minimal'));
const APP = 'stacks/team-a/app.yaml';
const appText = minimal.specs.find((f) => f.file === APP)!.text;

/** The minimal repo with its one Database moved to `file` and edited, and the config edited. */
function repo(options: { file?: string; spec?: (t: string) => string; config?: (t: string) => string }): RepoFiles {
  const text = options.spec ? options.spec(appText) : appText;
  return {
    ...minimal,
    config: { ...minimal.config!, text: options.config ? options.config(minimal.config!.text) : minimal.config!.text },
    specs: [...minimal.specs.filter((f) => f.file !== APP), { file: options.file ?? APP, text }],
  };
}
function problemsOf(files: RepoFiles): Problem[] {
  const result = resolveFiles(files);
  return result.ok ? [] : [...result.problems];
}
const withTeams = (teams: string) => (config: string) => config.replace(/\nteams:\n[\s\S]*$/, `\nteams:\n${teams}`);

describe('a Database sits in its team folder, stacks/<team>/', () => {
  it('accepts the minimal repo as it is', () => {
    expect(problemsOf(repo({}))).toEqual([]);
  });

  it('refuses a team that differs from the folder, at metadata.team', () => {
    const problems = problemsOf(repo({ file: 'stacks/team-b/app.yaml' }));
    expect(problems.map(formatProblem)).toEqual([
      'stacks/team-b/app.yaml:6:9: error DBAAS_TEAM_FOLDER metadata.team: team "team-a" does not match the folder stacks/team-b/; expected the spec under stacks/team-a/ (or metadata.team: team-b)',
    ]);
  });

  it('refuses a Database directly in stacks/, and accepts one deeper in its team folder', () => {
    expect(problemsOf(repo({ file: 'stacks/app.yaml' })).map((p) => [p.code, p.location?.line, p.message])).toEqual([
      ['DBAAS_TEAM_FOLDER', 6, "Database is directly in stacks/; expected it under its team's folder, stacks/team-a/"],
    ]);
    expect(problemsOf(repo({ file: 'stacks/team-a/sub/app.yaml' }))).toEqual([]);
  });
});

describe('team rules fail closed', () => {
  it('refuses a team missing from teams:, naming the block to add and the closest team', () => {
    const problems = problemsOf(repo({ config: withTeams('  team-b:\n    environments:\n      development: {}\n') }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'DBAAS_UNKNOWN_TEAM',
      field: 'metadata.team',
      value: 'team-a',
      location: { file: APP, line: 6, column: 9 },
      suggestion: 'did you mean "team-b"?',
    });
    expect(problems[0]!.message).toBe(
      'team "team-a" is not in dbaas.config.yaml teams; expected one of team-b. The infra team adds teams.team-a.environments.development (regions, sizes) to dbaas.config.yaml',
    );
  });

  it('refuses every Database when the config has no teams: at all', () => {
    const problems = problemsOf(repo({ config: (c) => c.replace(/\nteams:\n[\s\S]*$/, '\n') }));
    expect(problems.map((p) => [p.code, p.message.split(';')[1]])).toEqual([
      [
        'DBAAS_UNKNOWN_TEAM',
        ' expected one of (no teams configured). The infra team adds teams.team-a.environments.development (regions, sizes) to dbaas.config.yaml',
      ],
    ]);
  });

  it('refuses an environment the team does not list, at spec.environment', () => {
    const problems = problemsOf(repo({ config: withTeams('  team-a:\n    environments:\n      staging: {}\n') }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'DBAAS_TEAM_ENVIRONMENT', field: 'spec.environment', value: 'development', location: { file: APP, line: 8 } });
    expect(problems[0]!.message).toMatch(
      /^team "team-a" has no rules for environment "development" in dbaas\.config\.yaml; expected one of staging\. The infra team adds teams\.team-a\.environments\.development/,
    );
  });

  it("applies the listed regions and sizes; a listed environment without them allows the account's", () => {
    const result = resolveFiles(
      repo({ config: withTeams('  team-a:\n    environments:\n      development: { regions: [eu-west-1, us-east-1], sizes: [small] }\n') }),
    );
    expect(result.ok && result.repo.entries[0]!.db.allowed).toEqual({ regions: ['eu-west-1'], sizes: ['small'] });
    const open = resolveFiles(repo({}));
    expect(open.ok && open.repo.entries[0]!.db.allowed).toEqual({ regions: ['eu-west-1'], sizes: ['small'] });
  });
});

describe('user-chosen keys ignore the object prototype', () => {
  const PROTO = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it.each(PROTO)('size %s is an unknown size, not an inherited member', (size) => {
    const problems = problemsOf(repo({ spec: (t) => t.replace('  engine: postgres\n', `  engine: postgres\n  size: "${size}"\n`) }));
    expect(problems.map((p) => [p.code, p.field, p.value])).toEqual([['DBAAS_UNKNOWN_SIZE', 'spec.size', size]]);
  });

  it.each(PROTO)('defaults.size %s is an unknown size', (size) => {
    const problems = problemsOf(repo({ config: (c) => `${c}defaults: { size: "${size}" }\n` }));
    expect(problems.map((p) => p.code)).toEqual(['DBAAS_UNKNOWN_SIZE']);
  });

  it('team "constructor" is not listed unless the config lists it, and then it is used', () => {
    const asConstructor = (t: string) => t.replace('team: team-a', 'team: constructor');
    const file = 'stacks/constructor/app.yaml';
    expect(problemsOf(repo({ file, spec: asConstructor })).map((p) => [p.code, p.value])).toEqual([['DBAAS_UNKNOWN_TEAM', 'constructor']]);
    const listed = resolveFiles(
      repo({ file, spec: asConstructor, config: withTeams('  constructor:\n    environments:\n      development: { sizes: [small] }\n') }),
    );
    expect(listed.ok && listed.repo.entries[0]!.db).toMatchObject({ team: 'constructor', allowed: { sizes: ['small'] } });
  });

  it('channel "constructor" is an unknown reference until a NotificationChannel of that name exists', () => {
    const notify = (t: string) => t.replace('notify: [team-a-alerts]', 'notify: [constructor]');
    expect(problemsOf(repo({ spec: notify })).map((p) => [p.code, p.field, p.value])).toEqual([['DBAAS_UNKNOWN_REFERENCE', 'spec.notify[0]', 'constructor']]);
    const named = (t: string) => notify(t).replace('metadata: { name: team-a-alerts }', 'metadata: { name: constructor }');
    const result = resolveFiles(repo({ spec: named }));
    expect(result.ok && result.repo.entries[0]!.db.channels).toEqual([{ name: 'constructor', email: ['team-a@example.com'], tier: 'notify' }]);
  });

  it('backup policy "constructor" is an unknown reference', () => {
    const problems = problemsOf(repo({ spec: (t) => t.replace('policy: daily', 'policy: constructor') }));
    expect(problems.map((p) => [p.code, p.value])).toEqual([['DBAAS_UNKNOWN_REFERENCE', 'constructor']]);
  });
});
