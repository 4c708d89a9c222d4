// The one secret-key list: the validator and the renderer read it, and it covers every Terraform
// argument the synth-side secret check knows.
import { describe, expect, it } from 'vitest';
import { SECRET_KEY } from '../src/secrets.js';
import { shortValue } from '../src/render/markdown.js';
import { SECRET_ARGUMENTS } from '../src/synth/secret-free.js';
import { findPlaintextSecrets } from '../src/validate/checks.js';
import { parseYaml } from '../src/load/yaml.js';

const keys = [
  'password',
  'masterPassword',
  'db_passwd',
  'clientSecret',
  'auth_token',
  'apiKey',
  'api-key',
  'private_key',
  'webhookUrl',
  'credentials',
  'sensitive_labels',
  'authorization',
  'basic_auth',
];
const notSecret = ['name', 'retentionDays', 'author', 'authors', 'kmsKey', 'region', 'cost-center'];

describe('SECRET_KEY', () => {
  it('marks secret-like keys and leaves ordinary ones (including "author")', () => {
    for (const k of keys) expect(SECRET_KEY.test(k), k).toBe(true);
    for (const k of notSecret) expect(SECRET_KEY.test(k), k).toBe(false);
  });

  it('covers every argument src/synth/secret-free.ts refuses, so the renderer would hide it too', () => {
    for (const arg of SECRET_ARGUMENTS) expect(SECRET_KEY.test(arg), arg).toBe(true);
  });

  it('the renderer hides values under those keys', () => {
    expect(shortValue('aws_db_instance.x.master_password', 'hunter2')).toBe('(sensitive)');
    expect(shortValue('google_monitoring_notification_channel.x.sensitive_labels', { auth_token: 'x' })).toBe('(sensitive)');
    expect(shortValue('aws_db_instance.x.instance_class', 'db.t4g.micro')).toBe('"db.t4g.micro"');
  });

  it('the validator refuses a plain value under those keys, and not under "author"', () => {
    const text = 'metadata:\n  labels:\n    author: alice\n    api-key: abc123\n    auth-mode: basic\n';
    const [doc] = parseYaml({ file: 'stacks/a/x.yaml', text }).documents;
    const found = findPlaintextSecrets(doc!);
    expect(found.problems.map((p) => `${p.code} ${p.field} ${p.location?.line}`)).toEqual([
      'DBAAS_PLAINTEXT_SECRET metadata.labels.api-key 4',
      'DBAAS_PLAINTEXT_SECRET metadata.labels.auth-mode 5',
    ]);
  });
});
