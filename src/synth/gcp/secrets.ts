// Secret references for GCP stacks. Only gcp-secretmanager: references can be read by a GCP stack;
// the value is read at plan time through a data source and never appears in the synthesized JSON.
import { DataGoogleSecretManagerSecretVersion } from '@cdktf/provider-google/lib/data-google-secret-manager-secret-version/index.js';
import type { Construct } from 'constructs';
import { addNote } from '../notes.js';

export interface GcpSecretRef {
  /** The project holding the secret. Default: the stack's project. */
  readonly project?: string;
  readonly secret: string;
  /** The secret version. Default: latest. */
  readonly version?: string;
}

const PREFIX = 'gcp-secretmanager:';
const FULL = /^projects\/([^/]+)\/secrets\/([^/]+)(?:\/versions\/([^/]+))?$/;
const SHORT = /^([A-Za-z0-9_-]+)(?:\/versions\/([^/]+))?$/;

/**
 * Parses `gcp-secretmanager:<secret>`, `gcp-secretmanager:<secret>/versions/<v>` or
 * `gcp-secretmanager:projects/<p>/secrets/<s>[/versions/<v>]`; anything else is undefined.
 */
export function parseGcpSecretRef(ref: string): GcpSecretRef | undefined {
  if (!ref.startsWith(PREFIX)) return undefined;
  const rest = ref.slice(PREFIX.length);
  const full = FULL.exec(rest);
  if (full) return { project: full[1], secret: full[2] as string, ...(full[3] ? { version: full[3] } : {}) };
  const short = SHORT.exec(rest);
  if (short) return { secret: short[1] as string, ...(short[2] ? { version: short[2] } : {}) };
  return undefined;
}

/** A data source reading the secret at plan time; use `.secretData` (sensitive) and `.version`. */
export function readSecret(scope: Construct, id: string, ref: GcpSecretRef, project: string): DataGoogleSecretManagerSecretVersion {
  const owner = ref.project ?? project;
  addNote(scope, `Secret Manager secret ${ref.secret} in project ${owner} is read at plan time and must exist first (its value reaches Terraform state, never this stack)`);
  return new DataGoogleSecretManagerSecretVersion(scope, id, {
    project: owner,
    secret: ref.secret,
    ...(ref.version ? { version: ref.version } : {}),
  });
}
