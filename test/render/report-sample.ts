// A report model built in memory (no repo, no synth) for renderer tests: n databases over `teams`
// teams, with every spec-derived string replaceable by a hostile one.
import { CONTROLS } from '../../src/report/index.js';
import type { ControlId, ReportDatabase, ReportJson } from '../../src/report/types.js';

export const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</svg><svg onload=alert(2)>',
  "' onfocus='alert(3)",
  '| **bold** [x](http://evil.example) ![i](http://evil.example/i.png)',
  'www.evil.example <!-- c --> ~~s~~',
];

export function sampleDatabase(i: number, teams: number, hostile = false): ReportDatabase {
  const h = (plain: string, k: number) => (hostile ? `${plain}${HOSTILE[k % HOSTILE.length]}` : plain);
  const production = i % 3 === 0;
  const retentionDays = [3, 7, 14, 35, 90, 400][i % 6]!;
  const rpoHours = i % 17 === 0 ? null : [1, 6, 24, 24, 168][i % 5]!;
  const posture =
    i % 101 === 100
      ? null
      : {
          schedule: rpoHours === null ? 'off' : '0 3 * * *',
          rpoHours,
          retentionDays,
          pitrDays: i % 2 ? 7 : 0,
          offsite: i % 4 ? [h('eu-central-1 90d', i)] : [],
          vaultLock: i % 5 ? 'compliance ≥35d' : null,
          alerts: ['failure', 'missing 26h'],
          alertTiers: [],
          restoreTesting: i % 3 ? null : '0 5 * * 0',
        };
  const policy = {
    retentionMinDays: production ? 35 : null,
    rpoTargetHours: production ? 25 : null,
    rpoSource: production ? ('guardrail' as const) : null,
    rtoTargetHours: production ? 4 : null,
  };
  const blocking = production && retentionDays < 35;
  const controls = {
    backups: posture?.rpoHours != null,
    retention: !!posture && (policy.retentionMinDays === null || posture.retentionDays >= policy.retentionMinDays),
    rpo: !!posture && posture.rpoHours !== null && (policy.rpoTargetHours === null || posture.rpoHours <= policy.rpoTargetHours),
    pitr: !!posture && posture.pitrDays > 0,
    offsite: !!posture && posture.offsite.length > 0,
    vaultLock: !!posture && posture.vaultLock !== null,
    alerts: !!posture,
    restoreTesting: !!posture && posture.restoreTesting !== null,
    compliant: !blocking,
  };
  return {
    name: h(`db-${i}`, i),
    team: h(`team-${i % teams}`, i % teams),
    environment: production ? 'production' : 'staging',
    cloud: i % 2 ? 'gcp' : 'aws',
    engine: 'postgres',
    region: 'eu-west-1',
    file: h(`stacks/team-${i % teams}/db-${i}.yaml`, i + 1),
    line: 5,
    account: 'aws 111111111111',
    built: posture !== null,
    posture,
    policy,
    controls,
    waivers:
      i % 7 === 0
        ? [
            {
              guardrail: h('offsite-copy-required', i),
              reason: h('data residency keeps copies in region', i + 2),
              expires: '2027-01-01',
              daysLeft: ((i * 13) % 200) - 20,
            },
          ]
        : [],
    findings: blocking
      ? [
          {
            guardrail: 'backup-retention-minimum',
            severity: 'error',
            waived: false,
            field: 'backup.retentionDays',
            message: h('Production databases keep backups for 35 days', i + 3),
          },
        ]
      : [],
    baseline: { stack: 'baseline-aws-production-eu-west-1', status: 'not-built' },
  };
}

export function sampleReport(n: number, options: { teams?: number; hostile?: boolean } = {}): ReportJson {
  const teamCount = options.teams ?? 5;
  const databases = Array.from({ length: n }, (_, i) => sampleDatabase(i, teamCount, options.hostile));
  const teams = [...new Set(databases.map((d) => d.team))].sort().map((team) => {
    const own = databases.filter((d) => d.team === team);
    return {
      team,
      databases: own.length,
      coverage: Object.fromEntries(CONTROLS.map((c) => [c.id, own.filter((d) => d.controls[c.id]).length])) as Record<ControlId, number>,
    };
  });
  const waivers = databases.flatMap((d) => d.waivers);
  const errors = databases.reduce((k, d) => k + d.findings.length, 0);
  return {
    schemaVersion: 1,
    ok: errors === 0,
    exitCode: errors ? 1 : 0,
    toolVersion: '0.1.0',
    date: '2026-11-21',
    summary: {
      databases: n,
      teams: teams.length,
      built: databases.filter((d) => d.built).length,
      compliant: databases.filter((d) => d.controls.compliant).length,
      errors,
      warnings: 0,
      waived: 0,
      waivers: {
        expired: waivers.filter((w) => w.daysLeft < 0).length,
        next30Days: waivers.filter((w) => w.daysLeft >= 0 && w.daysLeft <= 30).length,
        days31to90: waivers.filter((w) => w.daysLeft > 30 && w.daysLeft <= 90).length,
        later: waivers.filter((w) => w.daysLeft > 90).length,
      },
      baselinesBuilt: 0,
    },
    teams,
    databases,
    problems: options.hostile ? [{ code: 'DBAAS_X', severity: 'error', message: HOSTILE[0]!, file: HOSTILE[1]!, line: 1, column: 1 }] : [],
  };
}
