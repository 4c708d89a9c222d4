import { describe, expect, it } from 'vitest';
import { SynthError } from '../../../src/synth/errors.js';
import { gcpProblems } from '../../../src/synth/gcp/checks.js';
import { synthErrorOf } from '../../../src/synth/gcp/index.js';
import { exportedDatabases, globToRegExp } from '../../../src/synth/gcp/globs.js';
import { exampleDb, exampleGcpDatabases, featureDb, synthJson, withChanges } from './helpers.js';

const codes = (db: Parameters<typeof gcpProblems>[0]) => gcpProblems(db).map((p) => `${p.code} ${p.field}`);

describe('gcpProblems', () => {
  it('finds nothing in the example and fixture databases', () => {
    for (const db of [...exampleGcpDatabases(), featureDb('ledger'), featureDb('sandbox')]) expect(gcpProblems(db), db.name).toEqual([]);
  });

  it('refuses an AWS key, naming the field, the value and what is expected', () => {
    const db = withChanges(exampleDb('warehouse-meta'), { backup: { encryption: { kmsKey: 'alias/backups' } } });
    const [p] = gcpProblems(db);
    expect(p).toMatchObject({ code: 'DBAAS_GCP_KMS_KEY', severity: 'error', field: 'backup.encryption.kmsKey', value: 'alias/backups' });
    expect(p?.expected).toContain('projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>');
    expect(() => synthJson(db)).toThrow(SynthError);
    const error = (() => {
      try {
        synthJson(withChanges(db, { users: [{ name: 'app' }] }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SynthError);
    expect(error).toMatchObject({ code: 'DBAAS_GCP_KMS_KEY', path: ['backup', 'encryption', 'kmsKey'], value: 'alias/backups' });
    expect((error as SynthError).message).toMatch(/; also users\.0: user "app" cannot sign in with IAM/);
    expect(synthErrorOf({ code: 'X', severity: 'error', message: 'm', field: 'users.2.passwordSecret' }).path).toEqual(['users', 2, 'passwordSecret']);
  });

  it('needs the Cloud SQL service agent for a customer key, not for exports (the instance account writes them)', () => {
    const base = exampleDb('warehouse-meta');
    if (base.placement.cloud !== 'gcp') throw new Error('example placement');
    const db = withChanges(base, { placement: { ...base.placement, cloudSqlServiceAgent: undefined } });
    expect(codes(db)).toEqual(['DBAAS_GCP_NO_SERVICE_AGENT backup.encryption.kmsKey']);
    expect(codes(withChanges(db, { storageEncrypted: false }))).toEqual([]);
    // sandbox has no agent but needs none: no key, no exports
    expect(codes(featureDb('sandbox'))).toEqual([]);
  });

  it('refuses a MySQL root user: its password would provision nothing and sit in state', () => {
    const db = withChanges(featureDb('ledger'), { users: [{ name: 'root', passwordSecret: 'gcp-secretmanager:ledger-root' }] });
    expect(codes(db)).toEqual(['DBAAS_GCP_MYSQL_ROOT users.0']);
  });

  it('refuses an export that excludes every database', () => {
    const db = withChanges(exampleDb('warehouse-meta'), { backup: { exports: [{ schedule: '0 3 * * *', retentionDays: 3, excludeDatabases: ['*'] }] } });
    expect(codes(db)).toEqual(['DBAAS_GCP_EXPORT_EMPTY backup.exports.0.excludeDatabases']);
  });

  it('refuses password users (a password read by Terraform is kept in state) and users without an IAM identity', () => {
    const db = withChanges(exampleDb('warehouse-meta'), {
      users: [
        { name: 'app' },
        { name: 'svc', passwordSecret: 'secretsmanager:svc' },
        { name: 'ok', passwordSecret: 'gcp-secretmanager:ok' },
        { name: 'me@example.com' },
      ],
    });
    expect(codes(db)).toEqual([
      'DBAAS_GCP_USER_AUTH users.0',
      'DBAAS_GCP_USER_PASSWORD users.1.passwordSecret',
      'DBAAS_GCP_USER_PASSWORD users.2.passwordSecret',
    ]);
    expect(() => synthJson(withChanges(exampleDb('warehouse-meta'), { users: [{ name: 'ok', passwordSecret: 'gcp-secretmanager:ok' }] }))).toThrow(SynthError);
  });

  it('refuses SQL Server, whose root_password google 6.50 requires at create and keeps in state', () => {
    expect(codes(withChanges(exampleDb('reports'), { engine: 'sqlserver', version: '2022_standard' }))).toEqual(['DBAAS_GCP_SQLSERVER engine']);
  });

  it('refuses channel secrets and Slack or webhooks without a channel id', () => {
    const db = withChanges(exampleDb('warehouse-meta'), {
      channels: [
        {
          name: 'payments-oncall',
          slack: { webhookSecret: 'gcp-secretmanager:payments-slack' },
          webhook: { gcpChannel: 'projects/acme-data-prod/notificationChannels/12' },
        },
      ],
    });
    expect(codes(db)).toEqual(['DBAAS_GCP_CHANNEL_SECRET channels.0.slack.webhookSecret', 'DBAAS_GCP_CHANNEL_SECRET channels.0.slack']);
    const ok = withChanges(exampleDb('warehouse-meta'), {
      channels: [{ name: 'payments-oncall', slack: { gcpChannel: 'projects/acme-data-prod/notificationChannels/11' } }],
    });
    expect(codes(ok)).toEqual([]);
  });

  it('refuses copies without a region and engines Cloud SQL does not run', () => {
    expect(codes(withChanges(exampleDb('warehouse-meta'), { backup: { copies: [{ account: '999999999999', retentionDays: 7 }] } }))).toEqual([
      'DBAAS_GCP_COPY_REGION backup.copies',
    ]);
    expect(codes(withChanges(exampleDb('warehouse-meta'), { engine: 'dynamodb' }))).toEqual(['DBAAS_GCP_ENGINE engine']);
  });
});

describe('exclusion globs', () => {
  it('match whole names with * and ?', () => {
    expect(globToRegExp('tmp_*').test('tmp_x')).toBe(true);
    expect(globToRegExp('tmp_*').test('my_tmp_x')).toBe(false);
    expect(globToRegExp('db?').test('db1')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(exportedDatabases(['a', 'tmp_1', 'b', 'scratch'], ['tmp_*', 'scratch'])).toEqual(['a', 'b']);
  });
});
