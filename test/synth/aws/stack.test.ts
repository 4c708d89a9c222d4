import { describe, expect, it } from 'vitest';
import { OFFLINE_AWS_PROVIDER_ARGS } from '../../../src/terraform/offline.js';
import { awsEntries, context, exampleEntry, exampleRepo, resource, resources, synthJson, variant } from '../helpers.js';

const TAG_KEYS = ['cost-center', 'database', 'environment', 'managed-by', 'team'];

describe('providers and tags', () => {
  it('tags everything through default_tags on every provider, copy regions and Chatbot included (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(json.provider.aws.map((p) => p.alias ?? 'primary')).toEqual(['primary', 'copy_eu_central_1', 'chatbot']);
    for (const provider of json.provider.aws) {
      expect(provider.default_tags).toEqual([
        { tags: { 'cost-center': 'cc-1234', database: 'orders', environment: 'production', 'managed-by': 'dbaas', team: 'payments' } },
      ]);
      expect(provider.allowed_account_ids).toEqual(['111111111111']);
    }
    expect(json.provider.aws[0]).toMatchObject({ region: 'eu-west-1' });
    expect(json.provider.aws[0]).not.toHaveProperty('alias');
  });

  it('tags every example stack with team, database, environment and managed-by', async () => {
    for (const { db } of awsEntries()) {
      const json = await synthJson(db);
      for (const provider of json.provider.aws) {
        const tags = (provider.default_tags as { tags: Record<string, string> }[])[0]?.tags ?? {};
        expect(Object.keys(tags).sort(), db.name).toEqual(TAG_KEYS);
        expect(tags).toMatchObject({ team: db.team, database: db.name, environment: db.environment, 'managed-by': 'dbaas' });
      }
    }
  });

  it('never lets a label overwrite the tags dbaas relies on', async () => {
    const json = await synthJson(variant('sessions', { labels: { 'cost-center': 'cc-1', team: 'someone-else', 'managed-by': 'me' } }));
    const tags = (json.provider.aws[0]?.default_tags as { tags: Record<string, string> }[])[0]?.tags;
    expect(tags).toMatchObject({ team: 'identity', 'managed-by': 'dbaas', 'cost-center': 'cc-1' });
  });
});

describe('state', () => {
  it('lives in S3 per database, encrypted, with native locking', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'acme-dbaas-tfstate', key: 'dbaas/orders/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
    expect(json.terraform.required_version).toBe('>= 1.10');
  });

  it('locks through a DynamoDB table when the config names one', async () => {
    const config = structuredClone(exampleRepo().config);
    config.state.aws = { bucket: 'b', region: 'eu-west-1', keyPrefix: 'teams', dynamodbTable: 'locks' };
    const json = await synthJson(exampleEntry('orders').db, context({ config }));
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'b', key: 'teams/orders/terraform.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'locks' },
    });
    expect(json.terraform).not.toHaveProperty('required_version');
  });
});

describe('encryption keys', () => {
  it('creates one rotating, prevent_destroy key per production stack, with an alias', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_kms_key', 'kms_key')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(json, 'aws_kms_alias', 'kms_alias')).toMatchObject({ name: 'alias/dbaas/orders', target_key_id: '${aws_kms_key.kms_key.key_id}' });
  });

  it('uses a referenced alias through a data source, with a separate key for the alert topic', async () => {
    const json = await synthJson(variant('sessions', { backup: { encryption: { kmsKey: 'alias/backups' } } }));
    expect(json.data?.aws_kms_key?.referenced_key).toMatchObject({ key_id: 'alias/backups' });
    expect(resource(json, 'aws_db_instance', 'database').kms_key_id).toBe('${data.aws_kms_key.referenced_key.arn}');
    expect(resource(json, 'aws_backup_vault', 'backup_vault').kms_key_arn).toBe('${data.aws_kms_key.referenced_key.arn}');
    expect(resources(json, 'aws_kms_key')).not.toHaveProperty('kms_key');
    expect(resource(json, 'aws_sns_topic', 'alerts').kms_master_key_id).toBe('${aws_kms_key.kms_key_alerts.arn}');
    expect(JSON.parse(resource(json, 'aws_kms_key', 'kms_key_alerts').policy).Statement).toContainEqual(
      expect.objectContaining({ Sid: 'AlertPublishersEncrypt' }),
    );
  });

  it('uses a key ARN as it is', async () => {
    const keyArn = 'arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = await synthJson(variant('sessions', { backup: { encryption: { kmsKey: keyArn } } }));
    expect(resource(json, 'aws_db_instance', 'database').kms_key_id).toBe(keyArn);
    expect(json.data?.aws_kms_key).toBeUndefined();
  });

  it('refuses a key reference from another cloud', async () => {
    const db = variant('sessions', { backup: { encryption: { kmsKey: 'projects/p/locations/l/keyRings/r/cryptoKeys/k' } } });
    await expect(synthJson(db)).rejects.toMatchObject({ code: 'DBAAS_SYNTH_KMS_KEY', path: ['backup', 'encryption', 'kmsKey'] });
  });
});

describe('offline check mode', () => {
  it('sets the provider arguments src/terraform requires, and reads nothing from AWS', async () => {
    const json = await synthJson(variant('orders', { backup: { encryption: { kmsKey: 'alias/backups' } } }), context({ offlineCheck: true }));
    for (const provider of json.provider.aws) {
      for (const key of Object.keys(OFFLINE_AWS_PROVIDER_ARGS)) expect(String(provider[key]), key).toBe('true');
      expect(provider).not.toHaveProperty('allowed_account_ids');
    }
    expect(json.data).toBeUndefined();
    expect(resource(json, 'aws_db_instance', 'database').kms_key_id).toBe('arn:aws:kms:eu-west-1:111111111111:alias/backups');
  });

  it('changes nothing but providers and look-ups', async () => {
    const db = exampleEntry('users').db; // no secrets, managed key
    const real = await synthJson(db);
    const offline = await synthJson(db, context({ offlineCheck: true }));
    expect(offline.resource).toEqual(real.resource);
  });
});

describe('no secret in any stack', () => {
  it('has no password argument and no secret value in the JSON of any example stack', async () => {
    const allowed = new Set(['manage_master_user_password', 'master_user_secret_kms_key_id']);
    for (const { db } of awsEntries()) {
      const json = await synthJson(db);
      const text = JSON.stringify(json);
      const keys: string[] = [];
      const walk = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) {
            keys.push(k);
            walk(v);
          }
        }
      };
      walk(json);
      expect(
        keys.filter((k) => /password|secret_string|access_key|secret_key|token/i.test(k) && !allowed.has(k)),
        db.name,
      ).toEqual([]);
      expect(text, db.name).not.toMatch(/hooks\.slack\.com|xox[abprs]-|AKIA[0-9A-Z]{16}|-----BEGIN/);
      // The only URLs are the runbooks' AWS console links (no webhook or secret URL).
      expect(text, db.name).not.toMatch(/https?:\/\/(?!offline-check\.invalid|[a-z0-9-]+\.console\.aws\.amazon\.com\/)/);
    }
  });
});

describe('guardrails by construction', () => {
  it('builds what the baseline guardrails demand of each example database, from its resolved fields', async () => {
    for (const { db } of awsEntries()) {
      const json = await synthJson(db);
      const native = { ...resources(json, 'aws_db_instance'), ...resources(json, 'aws_rds_cluster'), ...resources(json, 'aws_dynamodb_table') }.database!;
      // Encryption at rest with the stack's key.
      if (db.engine === 'dynamodb') expect(native.server_side_encryption, db.name).toMatchObject({ enabled: true });
      else expect(native, db.name).toMatchObject({ storage_encrypted: true, kms_key_id: expect.any(String) });
      // Deletion protection (API and Terraform) in production.
      const protection = db.engine === 'dynamodb' ? native.deletion_protection_enabled : native.deletion_protection;
      expect(protection, db.name).toBe(db.deletionProtection);
      // Restore arguments are ignored on every database (src/synth/aws/restore.ts).
      const ignore_changes = native.lifecycle?.ignore_changes;
      expect(ignore_changes, db.name).toContain(db.engine === 'dynamodb' ? 'restore_source_name' : 'restore_to_point_in_time');
      if (db.environment === 'production') expect(native.lifecycle, db.name).toEqual({ prevent_destroy: true, ignore_changes });
      else expect(native.lifecycle, db.name).toEqual({ ignore_changes });
      // Backups on, encrypted vault, alerts on failure and on silence.
      const plan = resource(json, 'aws_backup_plan', 'backup_plan');
      expect(plan.rule[0].lifecycle.delete_after, db.name).toBe(db.backup.retentionDays);
      expect(resource(json, 'aws_backup_vault', 'backup_vault').kms_key_arn, db.name).toMatch(/^\$\{(aws_kms_key|data\.aws_kms_key)\./);
      // Three job-failure rules, plus the rule recording alarm state changes in the alert log.
      expect(Object.keys(resources(json, 'aws_cloudwatch_event_rule')).filter((k) => k.endsWith('_job_failed') || k === 'alarm_changes').length, db.name).toBe(
        db.backup.alerts.onFailure ? 4 : 1,
      );
      expect(resources(json, 'aws_cloudwatch_metric_alarm'), db.name).toHaveProperty('backup_missing');
      // Offsite copies, one copy action each.
      expect(plan.rule[0].copy_action ?? [], db.name).toHaveLength(db.backup.copies.length);
      // Vault lock when the policy locks.
      expect(Object.keys(resources(json, 'aws_backup_vault_lock_configuration')).includes('backup_vault_lock'), db.name).toBe(
        db.backup.vaultLock !== undefined,
      );
      // PITR: AWS Backup continuous backup, or DynamoDB's own.
      const pitr =
        db.engine === 'dynamodb'
          ? native.point_in_time_recovery.enabled
          : plan.rule.some((r: { enable_continuous_backup?: boolean }) => r.enable_continuous_backup === true);
      expect(pitr, db.name).toBe(db.backup.pointInTimeRecovery.enabled);
      // Private, and Multi-AZ or a second instance for high availability.
      if (db.engine !== 'dynamodb') expect(native.publicly_accessible ?? false, db.name).toBe(false);
      if (db.engine === 'postgres' || db.engine === 'mysql') expect(native.multi_az, db.name).toBe(db.highAvailability);
      if (db.engine.startsWith('aurora')) expect(Object.keys(resources(json, 'aws_rds_cluster_instance')).length, db.name).toBe(db.highAvailability ? 2 : 1);
    }
  });
});
