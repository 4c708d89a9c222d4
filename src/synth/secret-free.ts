// Nothing secret in Terraform state. The pull-request plan job reads the state bucket with PR code,
// and Terraform stores every data source result and every resource argument in state (and in saved
// plan files), "sensitive" or not. So no stack may read a secret (a data source of a secret store)
// or carry one (an argument that holds a password, a token or a secret URL). This is the last check
// before a stack leaves synth; validate refuses the spec fields that would need one
// (src/validate/unsupported.ts, src/validate/unsupported-gcp.ts).

/**
 * Data sources whose result is a secret value: hashicorp/aws 5.100.0 and hashicorp/google 6.50.0
 * (Secret Manager, Parameter Store, KMS decryption). A name that merely looks like one counts too.
 */
const SECRET_DATA_SOURCES = new Set([
  'aws_secretsmanager_secret_version',
  'aws_secretsmanager_random_password',
  'aws_ssm_parameter',
  'aws_ssm_parameters_by_path',
  'aws_kms_secret',
  'aws_kms_secrets',
  'google_secret_manager_secret_version',
  'google_secret_manager_secret_version_access',
  'google_secret_manager_regional_secret_version',
  'google_secret_manager_regional_secret_version_access',
  'google_kms_secret',
  'google_kms_secret_asymmetric',
]);
const SECRET_DATA_NAME = /secret_version|ssm_parameter|kms_secret|random_password/;

/** Resources whose state is a generated secret. */
const SECRET_RESOURCES = new Set(['random_password', 'random_string', 'tls_private_key', 'aws_iam_access_key', 'google_service_account_key']);

/**
 * Arguments that hold a secret value. `manage_master_user_password` (RDS keeps the password in
 * Secrets Manager; state holds only its ARN) is not one of them.
 */
export const SECRET_ARGUMENTS = new Set([
  'password',
  'password_wo',
  'root_password',
  'master_password',
  'master_password_wo',
  'sensitive_labels',
  'auth_token',
  'secret_string',
  'secret_data',
  'secret_binary',
]);

/** Where a synthesized stack reads or holds a secret, as `type.name[.path]: why`; empty when none. */
export function secretReads(config: unknown): string[] {
  const out: string[] = [];
  const root = (config ?? {}) as {
    data?: Record<string, Record<string, unknown>>;
    resource?: Record<string, Record<string, unknown>>;
    ephemeral?: Record<string, unknown>;
  };
  for (const [type, byName] of Object.entries(root.data ?? {})) {
    if (SECRET_DATA_SOURCES.has(type) || SECRET_DATA_NAME.test(type))
      for (const name of Object.keys(byName)) out.push(`data.${type}.${name}: reads a secret, and data source results are kept in state`);
  }
  for (const type of Object.keys(root.ephemeral ?? {})) out.push(`ephemeral.${type}: a stack needs no secret, not even ephemeral`);
  for (const [type, byName] of Object.entries(root.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      if (SECRET_RESOURCES.has(type)) out.push(`${type}.${name}: generates a secret kept in state`);
      walk(body, [type, name], out);
      const b = body as Record<string, unknown>;
      // An SNS http(s) endpoint is a webhook URL (a secret), stored as a plain argument.
      if (type === 'aws_sns_topic_subscription' && /^https?$/.test(String(b.protocol))) out.push(`${type}.${name}.endpoint: a webhook URL kept in state`);
      // A notification channel's url label is its webhook URL.
      if (type === 'google_monitoring_notification_channel' && (b.labels as Record<string, unknown> | undefined)?.url !== undefined)
        out.push(`${type}.${name}.labels.url: a webhook URL kept in state`);
    }
  }
  return out;
}

const SECRET_REFERENCE = /\bdata\.[a-z0-9_]*(secret|ssm_parameter)[a-z0-9_]*\./;

// One path array, pushed and popped on the way down (joined only for a finding): this walk runs over
// every value of every stack.
function walk(value: unknown, path: string[], out: string[]): void {
  if (typeof value === 'string') {
    // A reference to a secret read anywhere else (a data source, a variable) is a secret too.
    if (value.includes('data.') && SECRET_REFERENCE.test(value)) out.push(`${path.join('.')}: set from a secret reference`);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      walk(value[i], path, out);
      path.pop();
    }
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (key === '//') continue;
    path.push(key);
    if (SECRET_ARGUMENTS.has(key)) out.push(`${path.join('.')}: holds a secret, kept in state`);
    walk((value as Record<string, unknown>)[key], path, out);
    path.pop();
  }
}
