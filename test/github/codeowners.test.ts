import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/repo.js';
import { ownerRuleFor, parseCodeowners } from './codeowners.js';

const INFRA = '@acme/infra-team';
const INFRA_OWNED = [
  'policies/backup-retention-minimum.yaml',
  'templates/infra-repo/README.md',
  'templates/new-database.yaml',
  'dbaas.config.yaml',
  '.github/CODEOWNERS',
  '.github/workflows/dbaas-apply.yml',
  'stacks/shared/backup-policies.yaml',
];

function ownersIn(root: string) {
  const rules = parseCodeowners(readFileSync(join(root, '.github', 'CODEOWNERS'), 'utf8'));
  return { rules, owners: (path: string) => ownerRuleFor(rules, path)?.owners ?? [] };
}

describe('the CODEOWNERS reader', () => {
  const rules = parseCodeowners('*  @all\n/docs/  @docs   # comment\n*.md @writers\n/a/b @ab\n');

  it('lets the last matching line win, and anchors patterns with a leading slash', () => {
    expect(ownerRuleFor(rules, 'src/x.ts')?.owners).toEqual(['@all']);
    expect(ownerRuleFor(rules, 'docs/guide.txt')?.owners).toEqual(['@docs']);
    expect(ownerRuleFor(rules, 'docs/guide.md')?.owners).toEqual(['@writers']);
    expect(ownerRuleFor(rules, 'x/docs/guide.txt')?.owners).toEqual(['@all']);
    expect(ownerRuleFor(rules, 'a/b/c.txt')?.owners).toEqual(['@ab']);
    expect(ownerRuleFor(rules, 'a/bc')?.owners).toEqual(['@all']);
  });
});

describe.each([
  ['this repo', REPO_ROOT],
  ['the infra-repo template', join(REPO_ROOT, 'templates', 'infra-repo')],
])('.github/CODEOWNERS of %s', (_name, root) => {
  const { rules, owners } = ownersIn(root);

  it('gives policies/, templates/, dbaas.config.yaml, .github/ and shared specs to the infra team', () => {
    for (const path of INFRA_OWNED) expect(owners(path), path).toEqual([INFRA]);
    for (const pattern of ['/policies/', '/templates/', '/dbaas.config.yaml', '/.github/']) {
      expect(rules.find((r) => r.pattern === pattern)?.owners, pattern).toEqual([INFRA]);
    }
  });

  it('gives each team folder under stacks/ to that team, with its own line', () => {
    const teams = readdirSync(join(root, 'stacks'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'shared')
      .map((e) => e.name);
    expect(teams.length).toBeGreaterThan(0);
    for (const team of teams) {
      const rule = ownerRuleFor(rules, `stacks/${team}/some-database.yaml`);
      expect(rule?.pattern).toBe(`/stacks/${team}/`);
      expect(rule?.owners).toEqual([`@acme/${team}`]);
    }
  });

  it('names owners GitHub understands', () => {
    for (const rule of rules) {
      expect(rule.owners.length, `line ${rule.line}`).toBeGreaterThan(0);
      for (const owner of rule.owners) expect(owner).toMatch(/^@[\w-]+(\/[\w-]+)?$|^[^@\s]+@[^@\s]+$/);
    }
  });
});

it('this repo gives the example teams payments, identity and analytics their stacks', () => {
  const { owners } = ownersIn(REPO_ROOT);
  expect(owners('stacks/payments/orders.yaml')).toEqual(['@acme/payments']);
  expect(owners('stacks/identity/users.yaml')).toEqual(['@acme/identity']);
  expect(owners('stacks/analytics/reports.yaml')).toEqual(['@acme/analytics']);
  expect(owners('src/commands/init.ts')).toEqual([INFRA]);
});
