// GCP Secret Manager references, parsed without loading the google provider (validate uses this).

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
