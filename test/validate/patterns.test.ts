// Fields with a known shape are checked by pattern (schemas/*.schema.json), so text that is not a
// region, key, email or bucket never reaches a stack; each refusal is one clear line at file:line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/errors.js';
import { resolveDir } from '../../src/pipeline.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(path, text.replace(from, to));
}

const HOSTILE = '${file(\\"/etc/passwd\\")}';

const cases: [string, string, string, string, RegExp][] = [
  [
    'an AWS database in a GCP region',
    'stacks/identity/sessions.yaml',
    'region: eu-west-1',
    'region: europe-west1',
    /sessions\.yaml:\d+:\d+: error DBAAS_INVALID_FORMAT spec\.region: got "europe-west1"; expected an AWS region such as eu-west-1/,
  ],
  [
    'a GCP database in an AWS region',
    'stacks/analytics/warehouse-meta.yaml',
    'region: europe-west1',
    'region: eu-west-1',
    /warehouse-meta\.yaml:\d+:\d+: error DBAAS_INVALID_FORMAT spec\.region: got "eu-west-1"; expected a GCP region such as europe-west1/,
  ],
  [
    'a region holding Terraform syntax',
    'stacks/identity/sessions.yaml',
    'region: eu-west-1',
    `region: "${HOSTILE}"`,
    /DBAAS_INVALID_FORMAT spec\.region: got .*expected an AWS region/,
  ],
  [
    'a copy region that is no region',
    'stacks/shared/backup-policies.yaml',
    'region: eu-central-1',
    'region: "eu-central-1}"',
    /backup-policies\.yaml:\d+:\d+: error DBAAS_INVALID_FORMAT spec\.copies\[0\]\.region: .*expected an AWS region such as eu-west-1 or a GCP region/,
  ],
  [
    'a KMS key name with Terraform syntax',
    'stacks/shared/backup-policies.yaml',
    'kmsKey: managed',
    `kmsKey: "projects/acme-kms/locations/europe-west1/keyRings/r/cryptoKeys/${HOSTILE}"`,
    /DBAAS_INVALID_FORMAT spec\.encryption\.kmsKey: got .*expected "managed"/,
  ],
  [
    'an email with Terraform syntax',
    'stacks/shared/channels.yaml',
    'email: [payments-oncall@example.com]',
    `email: ["${HOSTILE}@example.com"]`,
    /channels\.yaml:\d+:\d+: error DBAAS_INVALID_FORMAT spec\.email\[0\]: got .*expected an email address such as oncall@example\.com/,
  ],
  [
    'an account region in GCP form',
    'dbaas.config.yaml',
    'regions: [eu-west-1]\n        subnetGroup: dbaas-development',
    'regions: [europe-west1]\n        subnetGroup: dbaas-development',
    /dbaas\.config\.yaml:\d+:\d+: error DBAAS_INVALID_FORMAT clouds\.aws\.accounts\.development\.regions\[0\]: got "europe-west1"; expected an AWS region/,
  ],
  [
    'a state bucket that is no bucket name',
    'dbaas.config.yaml',
    'bucket: acme-dbaas-tfstate,',
    `bucket: "${HOSTILE}",`,
    /DBAAS_INVALID_FORMAT state\.aws\.bucket: got .*expected an S3 bucket name/,
  ],
  [
    'a subnet group with Terraform syntax',
    'dbaas.config.yaml',
    'subnetGroup: dbaas-development',
    `subnetGroup: "${HOSTILE}"`,
    /DBAAS_INVALID_FORMAT clouds\.aws\.accounts\.development\.subnetGroup: got .*expected a DB subnet group name/,
  ],
  [
    'a GCP network that is no self link',
    'dbaas.config.yaml',
    'network: projects/acme-network/global/networks/private\n        cloudSqlServiceAgent: service-323456789012',
    'network: "private%{x}"\n        cloudSqlServiceAgent: service-323456789012',
    /DBAAS_INVALID_FORMAT clouds\.gcp\.projects\.development\.network: got "private%\{x\}"; expected Private VPC network self link/,
  ],
  [
    'a machine class with Terraform syntax',
    'dbaas.config.yaml',
    'small: db-custom-1-3840',
    `small: "${HOSTILE}"`,
    /DBAAS_INVALID_FORMAT clouds\.gcp\.sizes\.postgres\.small: got .*expected a machine class/,
  ],
  [
    'an engine version with Terraform syntax',
    'dbaas.config.yaml',
    'postgres: "16.4"',
    `postgres: "16.4\${x}"`,
    /DBAAS_INVALID_FORMAT clouds\.aws\.versions\.postgres: got .*expected an engine version/,
  ],
];

describe('known-shape fields are checked by pattern', () => {
  it.each(cases)('refuses %s in one line at file:line', (_, file, from, to, line) => {
    const dir = tempRepo('example');
    edit(dir, file, from, to);
    const resolution = resolveDir(dir);
    expect(resolution.ok).toBe(false);
    const lines = (resolution.ok ? [] : resolution.problems).filter((p) => p.code === 'DBAAS_INVALID_FORMAT').map(formatProblem);
    expect(
      lines.some((l) => line.test(l)),
      lines.join('\n'),
    ).toBe(true);
    for (const l of lines) expect(l.split('\n')[0]).toMatch(/^[^\s].*:\d+:\d+: error /);
  });

  it('accepts the example repo, whose values have these shapes', () => {
    expect(resolveDir(tempRepo('example')).ok).toBe(true);
  });
});
