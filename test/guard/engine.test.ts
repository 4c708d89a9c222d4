import { describe, expect, it } from 'vitest';
import { today } from '../../src/guard/clock.js';
import { capabilityMismatch, explainFailure, matches } from '../../src/guard/engine.js';
import { isBlocking, type Finding } from '../../src/guard/types.js';
import { exampleFiles, guardExample, lineOf, TODAY } from './helpers.js';
import { guardFiles } from '../../src/pipeline.js';

const ORDERS = 'stacks/payments/orders.yaml';
const USERS = 'stacks/identity/users.yaml';
const POLICIES = 'stacks/shared/backup-policies.yaml';
const blocking = (findings: readonly Finding[]) => findings.filter(isBlocking);

describe('the example repo passes the baseline pack', () => {
  const result = guardExample();
  it('has no unwaived error, and reports the waived offsite-copy finding with its reason', () => {
    expect(blocking(result.guard.findings)).toEqual([]);
    const waived = result.guard.findings.filter((f) => f.waived);
    // users' offsite copy, and insights' (AlloyDB) offsite copy and vault lock.
    expect(waived.map((f) => `${f.database} ${f.guardrail}`).sort()).toEqual([
      'insights offsite-copy-required',
      'insights vault-lock-required',
      'users offsite-copy-required',
    ]);
    expect(waived.find((f) => f.database === 'users')).toMatchObject({
      guardrail: 'offsite-copy-required',
      database: 'users',
      severity: 'error',
      waived: { reason: expect.stringContaining('data residency'), expires: '2027-05-15', location: { file: USERS } },
    });
  });

  it('keeps the seed: the DynamoDB table is kept 3 days with failure alerts and only draws warnings', () => {
    const carts = result.repo.entries.find((e) => e.db.name === 'carts')!.db;
    expect(carts.backup.retentionDays).toBe(3);
    expect(carts.backup.alerts.onFailure).toBe(true);
    expect(result.guard.findings.filter((f) => f.database === 'carts').map((f) => [f.guardrail, f.severity])).toEqual([['dynamodb-pitr', 'warning']]);
  });
});

describe('findings point at the offending field', () => {
  it('a production database kept 7 days: backup-retention-minimum at the retentionDays line, with its fix', () => {
    const result = guardExample({
      [ORDERS]: (t) => t.replace('    policy: prod-standard\n', '    policy: prod-standard\n    retentionDays: 7   # too short\n'),
    });
    const finding = result.guard.findings.find((f) => f.guardrail === 'backup-retention-minimum');
    const text = exampleFiles({}).specs.find((f) => f.file === ORDERS)!.text;
    expect(finding).toMatchObject({
      code: 'DBAAS_GUARDRAIL',
      severity: 'error',
      database: 'orders',
      field: 'backup.retentionDays',
      location: { file: ORDERS, line: lineOf(text, 'policy: prod-standard') + 1, column: 20 },
      fix: { backup: { retentionDays: 35 } },
    });
    expect(finding!.message).toBe('Production databases keep their backups for at least 35 days: backup.retentionDays is 7; must be >= 35');
    expect(finding!.remediation).toMatch(/retentionDays to 35/);
  });

  it('a field inherited from a shared BackupPolicy points into the policy file', () => {
    const result = guardExample({
      [POLICIES]: (t) =>
        t.replace(
          '  retentionDays: 35\n  pointInTimeRecovery: { enabled: true, retentionDays: 7 }\n  copies:\n    - region: eu-central-1',
          '  retentionDays: 14\n  pointInTimeRecovery: { enabled: true, retentionDays: 7 }\n  copies:\n    - region: eu-central-1',
        ),
    });
    const findings = result.guard.findings.filter((f) => f.guardrail === 'backup-retention-minimum');
    expect(findings.map((f) => f.database).sort()).toEqual(['ledger', 'orders', 'payouts', 'users']);
    const policyText = exampleFiles({}).specs.find((f) => f.file === POLICIES)!.text;
    for (const f of findings) expect(f.location).toMatchObject({ file: POLICIES, line: lineOf(policyText, 'retentionDays: 35') });
  });

  it('a missing field points at metadata.name of the database', () => {
    const result = guardExample({ [ORDERS]: (t) => t.replace('  notify: [payments-oncall, payments-pager]\n', '  notify: []\n') });
    const finding = result.guard.findings.find((f) => f.guardrail === 'alert-channel-required' && f.database === 'orders');
    expect(finding).toMatchObject({
      field: 'channels',
      location: { file: ORDERS, line: lineOf(exampleFiles({}).specs.find((f) => f.file === ORDERS)!.text, 'notify:') },
    });
    const gone = guardExample({ [ORDERS]: (t) => t.replace('  notify: [payments-oncall, payments-pager]\n', '') });
    // With no notify the config's defaults.notify (none) applies, so nothing is written: metadata.name.
    const atName = gone.guard.findings.find((f) => f.guardrail === 'alert-channel-required' && f.database === 'orders');
    expect(atName?.location).toMatchObject({ file: ORDERS, line: lineOf(exampleFiles({}).specs.find((f) => f.file === ORDERS)!.text, 'name: orders') });
  });

  it('a production database without a page channel gets the production-page-channel warning at its notify line', () => {
    const ordersText = exampleFiles({}).specs.find((f) => f.file === ORDERS)!.text;
    expect(guardExample({}).guard.findings.filter((f) => f.guardrail === 'production-page-channel')).toEqual([]);
    const result = guardExample({ [ORDERS]: (t) => t.replace('  notify: [payments-oncall, payments-pager]\n', '  notify: [payments-oncall]\n') });
    const findings = result.guard.findings.filter((f) => f.guardrail === 'production-page-channel');
    expect(findings.map((f) => [f.database, f.severity, f.field])).toEqual([['orders', 'warning', 'channels']]);
    expect(findings[0]!.location).toMatchObject({ file: ORDERS, line: lineOf(ordersText, 'notify:') });
  });

  it('a dbaas keyword failure names the copy and the regions', () => {
    const result = guardExample({ [USERS]: (t) => t.replace('    copies: []\n', '    copies: [{ region: eu-west-1, retentionDays: 35 }]\n') });
    const finding = result.guard.findings.find((f) => f.guardrail === 'copy-region-differs');
    expect(finding).toMatchObject({ field: 'backup.copies[0].region', location: { file: USERS } });
    expect(finding!.message).toContain("copy 1 is in eu-west-1, the database's own region; expected another region");
  });
});

describe('waivers', () => {
  const withWaiver = (waiver: string) => ({
    [USERS]: (t: string) => t.replace(/ {2}waivers:\n[\s\S]*$/, `  waivers:\n${waiver}`),
  });
  const run = (waiver: string, env = TODAY) => guardFiles(exampleFiles(withWaiver(waiver)), { env });

  it('an expired waiver is an error at its expires line, and the finding it accepted is an error again', () => {
    const result = guardExample({}, { DBAAS_NOW: '2027-05-16' });
    const expired = result.guard.findings.find((f) => f.code === 'DBAAS_WAIVER_EXPIRED' && f.database === 'users');
    const text = exampleFiles({}).specs.find((f) => f.file === USERS)!.text;
    expect(expired).toMatchObject({
      severity: 'error',
      database: 'users',
      guardrail: 'offsite-copy-required',
      field: 'waivers[0].expires',
      location: { file: USERS, line: lineOf(text, 'expires:') },
    });
    expect(expired!.message).toMatch(/expired on 2027-05-15 \(today is 2027-05-16\)/);
    const offsite = result.guard.findings.find((f) => f.guardrail === 'offsite-copy-required' && f.code === 'DBAAS_GUARDRAIL');
    expect(offsite?.waived).toBeUndefined();
    // insights' two waivers expire the same day: each is an error, and so is each finding it accepted.
    expect(
      blocking(result.guard.findings)
        .map((f) => `${f.database} ${f.code}`)
        .sort(),
    ).toEqual([
      'insights DBAAS_GUARDRAIL',
      'insights DBAAS_GUARDRAIL',
      'insights DBAAS_WAIVER_EXPIRED',
      'insights DBAAS_WAIVER_EXPIRED',
      'users DBAAS_GUARDRAIL',
      'users DBAAS_WAIVER_EXPIRED',
    ]);
  });

  it('is valid through its expiry day', () => {
    const result = guardExample({}, { DBAAS_NOW: '2027-05-15' });
    expect(blocking(result.guard.findings)).toEqual([]);
  });

  it.each([
    [
      'an unknown guardrail',
      '    - guardrail: offsite-copy-requird\n      reason: data residency (DPA-2026-14)\n      expires: "2027-01-31"\n',
      'DBAAS_WAIVER_UNKNOWN_GUARDRAIL',
      'waivers[0].guardrail',
      /does not exist \(did you mean "offsite-copy-required"\?\)/,
    ],
    [
      'a reason shorter than 10 characters',
      '    - guardrail: offsite-copy-required\n      reason: "  because "\n      expires: "2027-01-31"\n',
      'DBAAS_WAIVER_REASON_TOO_SHORT',
      'waivers[0].reason',
      /7 visible characters; expected at least 10/,
    ],
    [
      'an expiry more than 180 days out',
      '    - guardrail: offsite-copy-required\n      reason: data residency (DPA-2026-14)\n      expires: "2027-05-21"\n',
      'DBAAS_WAIVER_TOO_LONG',
      'waivers[0].expires',
      /181 days from today \(2026-11-21\); expected at most 180 days out/,
    ],
    [
      'a date that does not exist',
      '    - guardrail: offsite-copy-required\n      reason: data residency (DPA-2026-14)\n      expires: "2027-02-30"\n',
      'DBAAS_WAIVER_BAD_DATE',
      'waivers[0].expires',
      /not a calendar date/,
    ],
  ])('%s is an error at the waiver', (_what, waiver, code, field, message) => {
    const result = run(waiver);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const finding = result.guard.findings.find((f) => f.code === code);
    expect(finding).toMatchObject({ severity: 'error', field, location: { file: USERS } });
    expect(finding!.message).toMatch(message);
    expect(blocking(result.guard.findings).length).toBeGreaterThanOrEqual(1);
  });

  it('counts only visible characters toward the 10-character minimum (fillers, blanks, lone marks do not count)', () => {
    // U+3164 HANGUL FILLER, U+2800 BRAILLE BLANK, U+3000 IDEOGRAPHIC SPACE, U+0301 a combining accent alone:
    // none is a control or format character, so the schema lets them through; none shows anything.
    const result = run(
      '    - guardrail: offsite-copy-required\n      reason: "ok\u3164\u3164\u3164\u2800\u2800\u3000\u3000 \u0301\u0301"\n      expires: "2027-01-31"\n',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const finding = result.guard.findings.find((f) => f.code === 'DBAAS_WAIVER_REASON_TOO_SHORT');
    expect(finding?.message).toMatch(
      /is 2 visible characters; expected at least 10 saying why the exception is safe \(spaces and invisible characters do not count\)/,
    );
  });

  it.each([
    ['zero-width spaces', 'data\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b', '\\u200b'],
    ['a line break that would forge a log line', 'data residency\\n::error::forged', '\\n'],
    ['a byte-order mark', '\ufeffdata residency', '\\ufeff'],
    ['a right-to-left override', 'data residency \u202e(DPA-2026-14)', '\\u202e'],
  ])('a reason holding %s is invalid input, one line naming the rule and showing the character', (_what, reason, shown) => {
    const result = run(`    - guardrail: offsite-copy-required\n      reason: "${reason}"\n      expires: "2027-01-31"\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.field?.endsWith('reason'));
    expect(problem).toMatchObject({ code: 'DBAAS_INVALID_FORMAT', location: { file: USERS } });
    expect(problem!.message).toContain('expected One line of visible text: no line breaks, tabs or control characters, and no invisible format characters');
    expect(problem!.message).toContain(shown);
    expect(problem!.message).not.toMatch(/[\n\r\u200b\ufeff\u202e]/);
  });

  it('accepts 180 days exactly', () => {
    const result = run('    - guardrail: offsite-copy-required\n      reason: data residency (DPA-2026-14)\n      expires: "2027-05-20"\n');
    expect(result.ok && blocking(result.guard.findings)).toEqual([]);
  });

  it('warns about a waiver that accepts nothing', () => {
    const result = run(
      '    - guardrail: offsite-copy-required\n      reason: data residency (DPA-2026-14)\n      expires: "2027-01-31"\n    - guardrail: backups-enabled\n      reason: nothing to accept here really\n      expires: "2027-01-31"\n',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.guard.findings.find((f) => f.code === 'DBAAS_WAIVER_UNUSED')).toMatchObject({
      severity: 'warning',
      guardrail: 'backups-enabled',
      field: 'waivers[1]',
    });
    expect(blocking(result.guard.findings)).toEqual([]);
  });
});

describe('overrides in dbaas.config.yaml', () => {
  const withOverrides = (yaml: string) => {
    const files = exampleFiles({});
    return guardFiles({ ...files, config: { ...files.config!, text: `${files.config!.text}\nguardrails:\n  overrides:\n${yaml}` } }, { env: TODAY });
  };

  it("turns a baseline guardrail off, with the reason reported, and changes another's severity", () => {
    const result = withOverrides(
      '    cross-account-copy: { severity: "off", reason: no backup account before Q3 (INFRA-88) }\n    dynamodb-pitr: { severity: error, reason: PITR is mandatory for tables (SEC-7) }\n',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.guard.findings.some((f) => f.guardrail === 'cross-account-copy')).toBe(false);
    expect(result.guard.findings.find((f) => f.guardrail === 'dynamodb-pitr')).toMatchObject({
      severity: 'error',
      override: { from: 'warning', reason: 'PITR is mandatory for tables (SEC-7)' },
    });
    expect(result.guard.overrides.map((o) => [o.guardrail, o.severity, o.location.file])).toEqual([
      ['cross-account-copy', 'off', 'dbaas.config.yaml'],
      ['dynamodb-pitr', 'error', 'dbaas.config.yaml'],
    ]);
    expect(result.guard.evaluated).toBe(result.registry.guardrails.length - 1);
  });

  it('requires a reason of 10 characters (config schema)', () => {
    const result = withOverrides('    cross-account-copy: { severity: "off", reason: meh }\n');
    expect(result.ok).toBe(false);
  });

  it('counts only visible characters toward that minimum', () => {
    const result = withOverrides('    cross-account-copy: { severity: "off", reason: "ok\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000" }\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'DBAAS_REASON_TOO_SHORT',
        field: 'guardrails.overrides.cross-account-copy.reason',
        location: expect.objectContaining({ file: 'dbaas.config.yaml' }),
      }),
    ]);
    expect(result.problems[0]!.message).toMatch(/^override reason "ok(\\u3000)+" is 2 visible characters; expected at least 10 saying why/);
  });

  it('refuses a reason that is not one line of visible text', () => {
    const result = withOverrides('    cross-account-copy: { severity: "off", reason: "no backup account\\n::add-mask::x" }\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({ code: 'DBAAS_INVALID_FORMAT', location: { file: 'dbaas.config.yaml' } });
  });
});

describe('matching and explaining', () => {
  it('matches on every listed condition, any value of a list', () => {
    const db = { environment: 'production', cloud: 'aws', engine: 'postgres', team: 'payments', labels: { tier: 'gold' } };
    expect(matches({}, db)).toBe(true);
    expect(matches({ environment: ['staging', 'production'], cloud: ['aws'] }, db)).toBe(true);
    expect(matches({ environment: ['production'], engine: ['dynamodb'] }, db)).toBe(false);
    expect(matches({ team: ['payments'], labels: { tier: 'gold' } }, db)).toBe(true);
    expect(matches({ labels: { tier: 'silver' } }, db)).toBe(false);
    expect(matches({ cloud: ['aws'] }, {})).toBe(false);
  });

  it('matches a capability list when the engine has all of them on its cloud', () => {
    const rds = { cloud: 'aws', engine: 'postgres' };
    const cloudSql = { cloud: 'gcp', engine: 'postgres' };
    expect(matches({ capability: ['tls'] }, rds)).toBe(true);
    expect(matches({ capability: ['tls', 'storage-encryption-toggle'] }, rds)).toBe(true);
    // All, not any: Cloud SQL has tls but no storage-encryption-toggle.
    expect(matches({ capability: ['tls'] }, cloudSql)).toBe(true);
    expect(matches({ capability: ['tls', 'storage-encryption-toggle'] }, cloudSql)).toBe(false);
    expect(matches({ capability: ['tls'] }, { cloud: 'aws', engine: 'dynamodb' })).toBe(false);
    expect(matches({ capability: ['binlog-pitr'] }, { cloud: 'gcp', engine: 'mysql' })).toBe(true);
    expect(matches({ capability: ['binlog-pitr'] }, { cloud: 'aws', engine: 'mysql' })).toBe(false);
    // An engine on a cloud that does not offer it has no capabilities there.
    expect(matches({ capability: ['tls'] }, { cloud: 'aws', engine: 'sqlserver' })).toBe(false);
    // Combined with the other conditions, every one must hold.
    expect(matches({ environment: ['production'], capability: ['high-availability'] }, { ...rds, environment: 'staging' })).toBe(false);
    expect(matches({ environment: ['production'], capability: ['high-availability'] }, { ...rds, environment: 'production' })).toBe(true);
  });

  it("gives a test case without a cloud the union of its engine's clouds, and one without an engine nothing", () => {
    expect(matches({ capability: ['storage-encryption-toggle'] }, { engine: 'postgres' })).toBe(true);
    expect(matches({ capability: ['binlog-pitr'] }, { engine: 'mysql' })).toBe(true);
    expect(matches({ capability: ['binlog-pitr'] }, { engine: 'postgres' })).toBe(false);
    expect(matches({ capability: ['tls'] }, { cloud: 'aws' })).toBe(false);
    expect(matches({ capability: ['tls'] }, { engine: 7 })).toBe(false);
  });

  it('says which capability leaves a database out', () => {
    expect(capabilityMismatch(['tls'], { cloud: 'aws', engine: 'postgres' })).toBeUndefined();
    expect(capabilityMismatch(undefined, { cloud: 'aws', engine: 'dynamodb' })).toBeUndefined();
    expect(capabilityMismatch(['tls', 'network-endpoint', 'table-pitr'], { cloud: 'aws', engine: 'dynamodb' })).toBe(
      'engine "dynamodb" on "aws" lacks capability tls, network-endpoint',
    );
    expect(capabilityMismatch(['binlog-pitr'], { engine: 'postgres' })).toBe('engine "postgres" lacks capability binlog-pitr');
    expect(capabilityMismatch(['tls'], { cloud: 'gcp' })).toBe("it names no engine, and match.capability reads the engine's capabilities");
  });

  it('fails closed on an engine no profile defines: every capability rule judges it', () => {
    expect(matches({ capability: ['tls', 'table-pitr'] }, { cloud: 'aws', engine: 'no-such-engine' })).toBe(true);
    // Only capability lists: an engine list still names engines.
    expect(matches({ engine: ['postgres'] }, { cloud: 'aws', engine: 'no-such-engine' })).toBe(false);
  });

  it('turns ajv errors into the field and a sentence, skipping if/then wrappers', () => {
    expect(
      explainFailure([
        {
          keyword: 'maximum',
          instancePath: '/backup/alerts/missingAfterHours',
          schemaPath: '#/then/x',
          params: { comparison: '<=', limit: 26 },
          message: 'must be <= 26',
          data: 48,
        },
        { keyword: 'if', instancePath: '', schemaPath: '#/if', params: { failingKeyword: 'then' }, message: 'must match "then" schema' },
      ]),
    ).toEqual({ path: ['backup', 'alerts', 'missingAfterHours'], detail: 'backup.alerts.missingAfterHours is 48; must be <= 26' });
    expect(explainFailure([{ keyword: 'required', instancePath: '/backup', schemaPath: '#', params: { missingProperty: 'vaultLock' }, message: '' }])).toEqual({
      path: ['backup', 'vaultLock'],
      detail: 'backup.vaultLock is not set',
    });
  });
});

describe('today', () => {
  it('reads DBAAS_NOW (a date or a date-time), else the clock', () => {
    expect(today({ DBAAS_NOW: '2026-11-21' })).toBe('2026-11-21');
    expect(today({ DBAAS_NOW: '2026-11-21T23:30:00Z' })).toBe('2026-11-21');
    expect(today({}, () => new Date(Date.UTC(2030, 0, 2, 12)))).toBe('2030-01-02');
  });
  it('refuses a DBAAS_NOW that is not a date, as invalid input', () => {
    expect(() => today({ DBAAS_NOW: 'tomorrow' })).toThrow(/DBAAS_NOW="tomorrow" is not a date/);
  });
});
