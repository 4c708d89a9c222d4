// Customer-managed KMS keys (rotation on, 30-day deletion window), or the key a policy references.
// One key per stack encrypts storage, the master secret, the vault and the alert topic; copy regions
// get a key of their own (keys are regional).
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Construct } from 'constructs';
import { SynthError } from '../errors.js';
import { compactJson } from '../json.js';
import { underscored } from '../naming.js';
import { arn, type AwsTarget } from './context.js';
import { ERR } from '../../error-codes.js';

/** Services that publish alerts to the SNS topic; an encrypted topic needs them on the key policy. */
export const ALERT_PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] as const;

export interface ManagedKeyProps {
  readonly target: AwsTarget;
  /** Logical id suffix and alias suffix, e.g. "" for the main key, "alerts", "copy-eu-central-1". */
  readonly role: string;
  readonly description: string;
  /** Provider for the key's region. Default: the stack's default provider. */
  readonly provider?: AwsProvider;
  /** Let EventBridge and CloudWatch encrypt messages to the alert topic. Default: false. */
  readonly alertPublishers?: boolean;
  /** Accounts that receive copies of recovery points encrypted with this key. Default: none. */
  readonly copyAccounts?: readonly string[];
}

export class ManagedKey extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ManagedKeyProps) {
    super(scope, id);
    const { target, role } = props;
    const root = `arn:${target.partition}:iam::${target.account.accountId}:root`;
    const statements: object[] = [
      // Without this the account itself (and so IAM policies) could not manage the key.
      { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
    ];
    if (props.alertPublishers) {
      statements.push({
        Sid: 'AlertPublishersEncrypt',
        Effect: 'Allow',
        Principal: { Service: [...ALERT_PUBLISHERS] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      });
    }
    const copyAccounts = [...new Set(props.copyAccounts ?? [])].sort();
    if (copyAccounts.length > 0) {
      // Cross-account copies of RDS snapshots need the source key shared with the destination.
      statements.push({
        Sid: 'CopyAccountsUseKey',
        Effect: 'Allow',
        Principal: { AWS: copyAccounts.map((a) => `arn:${target.partition}:iam::${a}:root`) },
        Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
      });
    }
    const suffix = role ? `_${underscored(role)}` : '';
    const key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: compactJson({ Version: '2012-10-17', Statement: statements }),
      ...(props.provider ? { provider: props.provider } : {}),
      // Deleting the key makes every backup it encrypts unreadable.
      ...(target.production ? { lifecycle: { preventDestroy: true } } : {}),
    });
    key.overrideLogicalId(`kms_key${suffix}`);
    const alias = new KmsAlias(this, 'alias', {
      name: `alias/dbaas/${target.db.name}${role ? `-${role}` : ''}`,
      targetKeyId: key.keyId,
      ...(props.provider ? { provider: props.provider } : {}),
    });
    alias.overrideLogicalId(`kms_alias${suffix}`);
    this.arn = key.arn;
  }
}

/** The key a policy names: `alias/<name>`, an alias ARN or a key ARN, as a key ARN. */
export function referencedKeyArn(scope: Construct, target: AwsTarget, ref: string): string {
  const keyArn = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
  const aliasArn = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/[A-Za-z0-9/_-]+$/;
  if (keyArn.test(ref)) return ref;
  if (!ref.startsWith('alias/') && !aliasArn.test(ref)) {
    throw new SynthError(
      ERR.SYNTH_KMS_KEY,
      ['backup', 'encryption', 'kmsKey'],
      `KMS key ${JSON.stringify(ref)} is not an AWS key reference`,
      ref,
      '"managed", alias/<name>, an alias ARN or a key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
    );
  }
  // RDS and AWS Backup store the key ARN; an alias would show as a change (and replace) on every plan.
  if (target.offline) return ref.startsWith('alias/') ? arn(target, 'kms', target.db.region, ref) : ref;
  const data = new DataAwsKmsKey(scope, 'referenced_key', { keyId: ref });
  data.overrideLogicalId('referenced_key');
  return data.arn;
}
