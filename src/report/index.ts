// Report stage: the resolved repo, the posture of each built stack and the guard result in, the
// report model out. Pure: the command builds the stacks and reads their posture as they arrive.
import { daysBetween } from '../guard/clock.js';
import type { GuardrailRegistry } from '../guard/registry.js';
import { isBlocking, type Finding, type GuardResult } from '../guard/types.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import type { ProblemJson } from '../render/problems.js';
import type { DbaasConfig } from '../spec/generated.js';
import { baselineNameFor, baselineTargets } from '../synth/baseline/index.js';
import type { ResolvedEntry, ResolvedRepo } from '../resolve/index.js';
import { policyTargets, type PolicyTargets } from './policy.js';
import type { ControlId, ReportControls, ReportDatabase, ReportJson, ReportPosture, ReportTeam, ReportWaiver } from './types.js';

export type { ControlId, ReportDatabase, ReportJson, ReportPosture, ReportTeam } from './types.js';

/** The controls in the order charts and tables show them, with their labels. */
export const CONTROLS: readonly { readonly id: ControlId; readonly label: string }[] = [
  { id: 'backups', label: 'Backups on' },
  { id: 'retention', label: 'Retention ≥ policy' },
  { id: 'rpo', label: 'RPO ≤ target' },
  { id: 'pitr', label: 'PITR' },
  { id: 'offsite', label: 'Offsite copy' },
  { id: 'vaultLock', label: 'Vault lock' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'restoreTesting', label: 'Restore tests' },
  { id: 'compliant', label: 'No open errors' },
];

export interface ReportInput {
  readonly repo: ResolvedRepo;
  readonly registry: GuardrailRegistry;
  readonly guard: GuardResult;
  /** The posture of each database whose stack was built, by database name (see posture.ts). */
  readonly postures: ReadonlyMap<string, ReportPosture>;
  /** Stacks that could not be built, and anything else that makes the input invalid. */
  readonly problems: readonly ProblemJson[];
  readonly toolVersion: string;
}

/**
 * The account/project baseline stack that covers a database (src/synth/baseline): one per AWS account
 * and region, one per GCP project. Built when the config's baseline section turns its cloud on.
 */
export function baselineFor(db: ResolvedDatabase, config: DbaasConfig): ReportDatabase['baseline'] {
  const stack = baselineNameFor(config, db);
  return stack ? { stack, status: 'built' } : { stack: null, status: 'not-built' };
}

const isoDate = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

export function controlsOf(posture: ReportPosture | null, policy: PolicyTargets, blocking: boolean): ReportControls {
  const p = posture;
  return {
    backups: p !== null && p.schedule !== 'off',
    retention: p !== null && (policy.retentionMinDays === null || p.retentionDays >= policy.retentionMinDays),
    rpo: p !== null && p.rpoHours !== null && (policy.rpoTargetHours === null || p.rpoHours <= policy.rpoTargetHours),
    pitr: p !== null && p.pitrDays > 0,
    offsite: p !== null && p.offsite.length > 0,
    vaultLock: p !== null && p.vaultLock !== null,
    // A failure alert and a missing-backup alert, as the posture reads them from the stack.
    alerts: p !== null && p.alerts.some((a) => /failed$/.test(a)) && p.alerts.some((a) => /^backup missing/.test(a)),
    restoreTesting: p !== null && p.restoreTesting !== null,
    compliant: !blocking,
  };
}

function databaseOf(entry: ResolvedEntry, input: ReportInput, findings: readonly Finding[]): ReportDatabase {
  const db = entry.db;
  const posture = input.postures.get(db.name) ?? null;
  const policy = policyTargets(db, input.registry, input.guard.overrides);
  const location = entry.spec.doc.locate(['metadata', 'name']);
  const waivers: ReportWaiver[] = db.waivers.map((w) => {
    const expires = isoDate(w.expires);
    return { guardrail: w.guardrail, reason: w.reason, expires, daysLeft: daysBetween(input.guard.today, expires) };
  });
  return {
    name: db.name,
    team: db.team,
    environment: db.environment,
    cloud: db.cloud,
    engine: db.engine,
    region: db.region,
    file: location.file,
    line: location.line,
    account: db.placement.cloud === 'aws' ? `aws ${db.placement.accountId}` : `gcp ${db.placement.projectId}`,
    built: posture !== null,
    posture,
    policy,
    controls: controlsOf(posture, policy, findings.some(isBlocking)),
    waivers,
    findings: findings.map((f) => ({ guardrail: f.guardrail, severity: f.severity, waived: f.waived !== undefined, field: f.field, message: f.message })),
    baseline: baselineFor(db, input.repo.config),
  };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildReport(input: ReportInput): ReportJson {
  const findingsByDb = new Map<string, Finding[]>();
  for (const f of input.guard.findings) {
    const list = findingsByDb.get(f.database);
    if (list) list.push(f);
    else findingsByDb.set(f.database, [f]);
  }
  const databases = input.repo.entries
    .map((e) => databaseOf(e, input, findingsByDb.get(e.db.name) ?? []))
    .sort((a, b) => byText(a.team, b.team) || byText(a.name, b.name));

  const teams = new Map<string, ReportTeam>();
  for (const d of databases) {
    let t = teams.get(d.team);
    if (!t) {
      t = { team: d.team, databases: 0, coverage: Object.fromEntries(CONTROLS.map((c) => [c.id, 0])) as Record<ControlId, number> };
      teams.set(d.team, t);
    }
    t.databases++;
    for (const c of CONTROLS) if (d.controls[c.id]) t.coverage[c.id]++;
  }

  const waivers = databases.flatMap((d) => d.waivers);
  const findings = input.guard.findings;
  const invalid = input.problems.some((p) => p.severity === 'error');
  const exitCode = invalid ? 2 : findings.some(isBlocking) ? 1 : 0;
  return {
    schemaVersion: 1,
    ok: exitCode === 0,
    exitCode,
    toolVersion: input.toolVersion,
    date: input.guard.today,
    summary: {
      databases: databases.length,
      teams: teams.size,
      built: databases.filter((d) => d.built).length,
      compliant: databases.filter((d) => d.controls.compliant).length,
      errors: findings.filter(isBlocking).length,
      warnings: findings.filter((f) => f.severity === 'warning' && !f.waived).length,
      waived: findings.filter((f) => f.waived).length,
      waivers: {
        expired: waivers.filter((w) => w.daysLeft < 0).length,
        next30Days: waivers.filter((w) => w.daysLeft >= 0 && w.daysLeft <= 30).length,
        days31to90: waivers.filter((w) => w.daysLeft > 30 && w.daysLeft <= 90).length,
        later: waivers.filter((w) => w.daysLeft > 90).length,
      },
      baselinesBuilt: baselineTargets(input.repo.config, { registry: input.registry, overrides: input.guard.overrides }).length,
    },
    teams: [...teams.values()].sort((a, b) => byText(a.team, b.team)),
    databases,
    problems: [...input.problems],
  };
}
