// Remote state per cloud, from dbaas.config.yaml: S3 with locking for AWS, GCS for GCP. One state
// file per database, so stacks plan and apply independently.
import { GcsBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { ResolvedDatabase } from '../model/resolved.js';
import type { DbaasConfig } from '../spec/generated.js';
import { SynthError } from './errors.js';
import { ERR } from '../error-codes.js';

export const DEFAULT_STATE_PREFIX = 'dbaas';

export type BackendChoice =
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly region: string;
      readonly key: string;
      /** Lock through a DynamoDB table when the config names one, else S3 native locking. */
      readonly lock: { readonly useLockfile: true } | { readonly dynamodbTable: string };
    }
  | { readonly type: 'gcs'; readonly bucket: string; readonly prefix: string };

/** Where a database's state lives; a SynthError when the config has no state for its cloud. */
export function backendFor(db: Pick<ResolvedDatabase, 'name' | 'cloud'>, config: DbaasConfig): BackendChoice {
  if (db.cloud === 'aws') {
    const s3 = config.state.aws;
    if (!s3) throw missingState(db, 'aws', 'state.aws: { bucket, region, keyPrefix }');
    return {
      type: 's3',
      bucket: s3.bucket,
      region: s3.region,
      key: `${s3.keyPrefix ?? DEFAULT_STATE_PREFIX}/${db.name}/terraform.tfstate`,
      lock: s3.dynamodbTable ? { dynamodbTable: s3.dynamodbTable } : { useLockfile: true },
    };
  }
  const gcs = config.state.gcp;
  if (!gcs) throw missingState(db, 'gcp', 'state.gcp: { bucket, prefix }');
  return { type: 'gcs', bucket: gcs.bucket, prefix: `${gcs.prefix ?? DEFAULT_STATE_PREFIX}/${db.name}` };
}

function missingState(db: Pick<ResolvedDatabase, 'name'>, cloud: string, expected: string): SynthError {
  return new SynthError(
    ERR.SYNTH_NO_STATE,
    ['cloud'],
    `database ${db.name} runs on ${cloud} but dbaas.config.yaml has no state.${cloud} backend`,
    cloud,
    expected,
  );
}

/** Adds the backend to the stack. S3 native locking needs Terraform 1.10 or later. */
export function addBackend(stack: TerraformStack, choice: BackendChoice): void {
  if (choice.type === 'gcs') {
    new GcsBackend(stack, { bucket: choice.bucket, prefix: choice.prefix });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: choice.bucket,
    key: choice.key,
    region: choice.region,
    encrypt: true,
    ...('dynamodbTable' in choice.lock ? { dynamodbTable: choice.lock.dynamodbTable } : {}),
  });
  // cdktf 0.21 predates use_lockfile.
  if ('useLockfile' in choice.lock) backend.addOverride('use_lockfile', true);
}
