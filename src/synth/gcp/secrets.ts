// Secret references for GCP stacks. Only gcp-secretmanager: references can be read by a GCP stack;
// the value is read at plan time through a data source and never appears in the synthesized JSON.
import { DataGoogleSecretManagerSecretVersion } from '@cdktf/provider-google/lib/data-google-secret-manager-secret-version/index.js';
import type { Construct } from 'constructs';
import { addNote } from '../notes.js';

// Parsing lives apart from the provider import so validate can check references without loading it.
import type { GcpSecretRef } from './secret-ref.js';
export { parseGcpSecretRef, type GcpSecretRef } from './secret-ref.js';

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
