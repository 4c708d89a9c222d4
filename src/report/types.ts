// The backup posture report: every database as built, against the guardrails. Its JSON form is a
// documented contract (docs/json-output.md, section report; schemas/output/report.schema.json).
import type { ProblemJson } from '../render/problems.js';

/** One yes/no control per database; coverage counts how many databases of a team meet each. */
export interface ReportControls {
  /** Scheduled backups are on. */
  backups: boolean;
  /** Retention is at least what the guardrails that apply ask (true when none asks). */
  retention: boolean;
  /** The longest gap between backups is within the RPO target (the stated objective, else the guardrails). */
  rpo: boolean;
  pitr: boolean;
  offsite: boolean;
  vaultLock: boolean;
  /** An alert on backup failure and one when no backup completed in time. */
  alerts: boolean;
  restoreTesting: boolean;
  /** No guardrail error that is not waived. */
  compliant: boolean;
}

export type ControlId = keyof ReportControls;

/** The posture as built (read through src/report/posture.ts, the one adapter to src/plan/posture.ts). */
export interface ReportPosture {
  /** Cron and timezone, or "off". */
  schedule: string;
  /** Worst-case hours between two scheduled backups; null when backups are off. */
  rpoHours: number | null;
  retentionDays: number;
  /** Point-in-time recovery window in days; 0 when off. */
  pitrDays: number;
  /** "eu-central-1 90d", "account 999999999999 365d". */
  offsite: string[];
  /** "compliance ≥35d", or null. */
  vaultLock: string | null;
  /** "failure", "missing 26h". */
  alerts: string[];
  /** Alert tiers (e.g. page / ticket) when the stack defines them; empty when it does not. */
  alertTiers: string[];
  /** The restore test schedule, or null. */
  restoreTesting: string | null;
}

export interface ReportWaiver {
  guardrail: string;
  reason: string;
  /** YYYY-MM-DD */
  expires: string;
  /** Days from the report date to the expiry; negative once expired. */
  daysLeft: number;
}

export interface ReportFinding {
  guardrail: string;
  severity: 'error' | 'warning';
  waived: boolean;
  field: string;
  message: string;
}

export interface ReportDatabase {
  name: string;
  team: string;
  environment: string;
  cloud: 'aws' | 'gcp';
  engine: string;
  region: string;
  /** The Database spec file and the line of metadata.name. */
  file: string;
  line: number;
  /** The AWS account or GCP project it lands in. */
  account: string;
  /** False when its stack could not be synthesized (see problems); posture is then null. */
  built: boolean;
  posture: ReportPosture | null;
  /** What the guardrails that apply ask of it; null where none asks. */
  policy: {
    retentionMinDays: number | null;
    rpoTargetHours: number | null;
    /** Where the RPO target comes from. */
    rpoSource: 'objective' | 'guardrail' | null;
    /** objectives.rtoHours: the restore time the restore tests are held to; null when not stated. */
    rtoTargetHours: number | null;
  };
  controls: ReportControls;
  waivers: ReportWaiver[];
  findings: ReportFinding[];
  /** The account/project baseline stack that covers it: built when dbaas.config.yaml's baseline section turns it on; stack null when none covers it. */
  baseline: { stack: string | null; status: 'built' | 'not-built' };
}

export interface ReportTeam {
  team: string;
  databases: number;
  /** How many of the team's databases meet each control. */
  coverage: Record<ControlId, number>;
}

/** The documented `dbaas report --json` / `--format json` shape. */
export interface ReportJson {
  schemaVersion: 1;
  /** True when the exit code is 0. */
  ok: boolean;
  /** 0 ok, 1 guardrail errors not waived, 2 invalid input or a stack that could not be built. */
  exitCode: 0 | 1 | 2;
  toolVersion: string;
  /** The report date (YYYY-MM-DD, DBAAS_NOW when set): waiver expiry counts from it. */
  date: string;
  summary: {
    databases: number;
    teams: number;
    built: number;
    compliant: number;
    errors: number;
    warnings: number;
    waived: number;
    waivers: { expired: number; next30Days: number; days31to90: number; later: number };
    /** Account baseline stacks (src/synth/baseline) the config builds, whether or not a database lands in them. */
    baselinesBuilt: number;
  };
  /** Sorted by team name. */
  teams: ReportTeam[];
  /** Sorted by team, then name. */
  databases: ReportDatabase[];
  problems: ProblemJson[];
}
