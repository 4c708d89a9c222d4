// Nothing secret in Terraform state: the PR plan job reads the state bucket with PR code. Every
// stack of the example repo and of a generated repo (every engine validate accepts, both clouds)
// reads no secret (no Secret Manager, Parameter Store or KMS-decrypt data source) and holds none (no
// password, token or webhook URL argument, nothing set from a secret reference).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../bench/generate.mjs';
import { resolveDir } from '../../src/pipeline.js';
import { loadBuilder, synthStack } from '../../src/synth/index.js';
import { secretReads } from '../../src/synth/secret-free.js';
import { REPO_ROOT } from '../helpers/repo.js';

interface Built {
  readonly name: string;
  readonly cloud: string;
  readonly json: Record<string, unknown>;
}

function buildRepo(dir: string): Built[] {
  const resolved = resolveDir(dir);
  if (!resolved.ok) throw new Error(resolved.problems.map((p) => `${p.code} ${p.location?.file}:${p.location?.line} ${p.message}`).join('\n'));
  return resolved.repo.entries.map((e) => {
    const stack = synthStack(e.db, { config: resolved.repo.config, toolVersion: 'secret-free' });
    return { name: stack.name, cloud: stack.cloud, json: JSON.parse(stack.json) as Record<string, unknown> };
  });
}

/** Every string in the JSON, and every key: a secret read can hide in either. */
function text(json: unknown): string {
  return JSON.stringify(json, (k, v) => (k === '//' ? undefined : v));
}

describe('no stack reads or holds a secret', () => {
  let example: Built[];
  let bench: Built[];
  let benchDir: string;

  beforeAll(async () => {
    await loadBuilder('aws');
    await loadBuilder('gcp');
    example = buildRepo(REPO_ROOT);
    benchDir = mkdtempSync(join(tmpdir(), 'dbaas-secret-free-'));
    await generateRepo(benchDir, 40, { git: false });
    bench = buildRepo(benchDir);
  }, 240_000);
  afterAll(() => rmSync(benchDir, { recursive: true, force: true }));

  it('flags each way a stack could read or hold a secret (the check can fail)', () => {
    const bad: [string, unknown][] = [
      [
        'GCP user password from Secret Manager',
        {
          data: { google_secret_manager_secret_version: { pw: { secret: 's' } } },
          resource: { google_sql_user: { u: { password_wo: '${data.google_secret_manager_secret_version.pw.secret_data}' } } },
        },
      ],
      ['GCP root_password', { resource: { google_sql_database_instance: { i: { root_password: 'x' } } } }],
      ['GCP Slack token', { resource: { google_monitoring_notification_channel: { s: { type: 'slack', sensitive_labels: { auth_token: 'x' } } } } }],
      ['GCP webhook URL', { resource: { google_monitoring_notification_channel: { w: { type: 'webhook_tokenauth', labels: { url: 'x' } } } } }],
      [
        'AWS webhook from SSM',
        {
          data: { aws_ssm_parameter: { hook: { name: '/h', with_decryption: true } } },
          resource: { aws_sns_topic_subscription: { w: { protocol: 'https', endpoint: '${sensitive(data.aws_ssm_parameter.hook.value)}' } } },
        },
      ],
      ['AWS webhook from Secrets Manager', { data: { aws_secretsmanager_secret_version: { hook: { secret_id: 'h' } } } }],
      ['AWS https endpoint literal', { resource: { aws_sns_topic_subscription: { w: { protocol: 'https', endpoint: 'https://example.com/x' } } } }],
      ['a generated password', { resource: { random_password: { p: { length: 32 } } } }],
      ['an RDS master password', { resource: { aws_db_instance: { d: { password: 'x' } } } }],
      ['an ephemeral secret', { ephemeral: { google_secret_manager_secret_version: {} } }],
    ];
    for (const [what, json] of bad) expect(secretReads(json), what).not.toEqual([]);
    expect(secretReads(bad[0]![1])).toEqual([
      'data.google_secret_manager_secret_version.pw: reads a secret, and data source results are kept in state',
      'google_sql_user.u.password_wo: holds a secret, kept in state',
      'google_sql_user.u.password_wo: set from a secret reference',
    ]);
    // RDS managing its own master password is not a secret in state (only the secret's ARN is).
    expect(secretReads({ resource: { aws_db_instance: { d: { manage_master_user_password: true, master_user_secret_kms_key_id: 'k' } } } })).toEqual([]);
  });

  it('holds for every example stack (AWS and GCP)', () => {
    expect(example.length).toBe(13);
    expect(new Set(example.map((b) => b.cloud))).toEqual(new Set(['aws', 'gcp']));
    for (const b of example) {
      expect(secretReads(b.json), b.name).toEqual([]);
      expect(text(b.json), b.name).not.toMatch(/secret_manager_secret_version|secretsmanager_secret_version|aws_ssm_parameter|sensitive\(/);
    }
  });

  it('holds for every stack of a generated repo (every engine validate accepts, both clouds, Slack on both)', () => {
    expect(bench.length).toBe(40);
    expect(new Set(bench.map((b) => b.cloud))).toEqual(new Set(['aws', 'gcp']));
    // The generated repo notifies Slack from both clouds: the Chatbot configuration and the
    // Cloud Monitoring channel id stand where a token or a webhook URL would have been read.
    expect(bench.some((b) => text(b.json).includes('aws_chatbot_slack_channel_configuration'))).toBe(true);
    expect(bench.some((b) => /projects\/acme-data-prod\/notificationChannels\/\d+/.test(text(b.json)))).toBe(true);
    for (const b of bench) {
      expect(secretReads(b.json), b.name).toEqual([]);
      expect(text(b.json), b.name).not.toMatch(/secret_manager_secret_version|secretsmanager_secret_version|aws_ssm_parameter|sensitive\(/);
    }
  });
});
