// The report as one self-contained HTML page: inline CSS and SVG, no script, no network (the CSP
// forbids every fetch). Spec text reaches the page only through escapeHtml. At 10,000 databases the
// charts aggregate (per team, per bucket) and the per-database tables sit collapsed per team.
import { createHash } from 'node:crypto';
import { CONTROLS } from '../report/index.js';
import type { ReportDatabase, ReportJson } from '../report/types.js';
import { escapeHtml as e } from './escape-html.js';
import { barChart, heatmap, targetChart, type Bar } from './report-charts.js';

/** Longer lists stop here and point at the JSON report, which has every row. */
export const LIST_LIMIT = 200;
/** Up to this many databases, retention and RPO are also drawn per database against their policy. */
export const PER_DATABASE_CHARTS = 60;
/** Team rows in the coverage heat map. */
export const HEATMAP_TEAMS = 40;

/** A team's share of met controls over all its databases and controls. */
const share = (t: ReportJson['teams'][number]): number => CONTROLS.reduce((n, c) => n + t.coverage[c.id], 0) / (t.databases * CONTROLS.length || 1);

const CSS =
  `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
body{margin:24px auto;max-width:1180px;padding:0 16px;line-height:1.4}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a;font-size:13px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.tile{border:1px solid #d0d7de;border-radius:8px;padding:10px 14px;min-width:120px}
.tile b{display:block;font-size:22px}.tile span{font-size:12px;color:#57606a}
.tile.bad b{color:#cf222e}.tile.warn b{color:#9a6700}.tile.good b{color:#1a7f37}
.charts{display:flex;flex-wrap:wrap;gap:24px}
figure{margin:0;max-width:560px}figcaption{font-size:13px;color:#57606a;margin:4px 0}figcaption b{color:#1f2328;font-size:14px}
svg.chart text{font-size:12px;fill:#1f2328}svg.chart text.colhead{font-size:11px;font-weight:600}
svg.chart text.value{fill:#57606a}svg.chart text.cell{font-size:11px}
line.target{stroke:#1f2328;stroke-width:2}.ok{fill:#2da44e}.bad{fill:#cf222e}.na{fill:#8c959f}.soon{fill:#bf8700}.later{fill:#54aeff}
.heat.h0{fill:#ff8182}.heat.h1{fill:#ffb3b3}.heat.h2{fill:#ffdf8a}.heat.h3{fill:#aceebb}.heat.h4{fill:#4ac26b}.heat.hna{fill:#eaeef2}
.legend{font-size:12px;color:#57606a}.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
.legend i.ok{background:#2da44e}.legend i.bad{background:#cf222e}.legend i.na{background:#8c959f}` +
  `.legend i.soon{background:#bf8700}.legend i.later{background:#54aeff}
table{border-collapse:collapse;font-size:12px;margin:8px 0;width:100%}
th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f6f8fa}
tr.gap td:first-child{border-left:3px solid #cf222e}
td.no{color:#cf222e}td.yes{color:#1a7f37}
details{margin:6px 0;border:1px solid #d0d7de;border-radius:6px;padding:4px 10px}summary{cursor:pointer;font-weight:600}
.note{font-size:13px;color:#57606a}
`;

const legend = (items: readonly [string, string][]): string =>
  `<div class="legend">${items.map(([cls, text]) => `<i class="${cls}"></i>${e(text)}`).join('')}</div>`;

function bucketOf(value: number, edges: readonly [number, string][]): string {
  for (const [upTo, label] of edges) if (value <= upTo) return label;
  return edges[edges.length - 1]![1];
}

const RETENTION_BUCKETS: readonly [number, string][] = [
  [6, '< 7 days'],
  [13, '7–13 days'],
  [29, '14–29 days'],
  [34, '30–34 days'],
  [89, '35–89 days'],
  [364, '90–364 days'],
  [Number.POSITIVE_INFINITY, '≥ 365 days'],
];
const RPO_BUCKETS: readonly [number, string][] = [
  [1, '≤ 1 h'],
  [6, '1–6 h'],
  [12, '6–12 h'],
  [24, '12–24 h'],
  [25, '24–25 h'],
  [48, '25–48 h'],
  [168, '2–7 days'],
  [Number.POSITIVE_INFINITY, '> 7 days'],
];

/** Databases per bucket, split into meets policy / misses it / no policy asks. */
function bucketBars(
  databases: readonly ReportDatabase[],
  buckets: readonly [number, string][],
  pick: (d: ReportDatabase) => { value: number | null; meets: boolean; asked: boolean },
  offLabel: string,
): Bar[] {
  const counts = new Map<string, { ok: number; bad: number; na: number }>([
    ...buckets.map(([, l]) => [l, { ok: 0, bad: 0, na: 0 }] as const),
    [offLabel, { ok: 0, bad: 0, na: 0 }],
  ]);
  for (const d of databases) {
    const p = pick(d);
    const label = p.value === null ? offLabel : bucketOf(p.value, buckets);
    const c = counts.get(label)!;
    if (!p.asked) c.na++;
    else if (p.meets) c.ok++;
    else c.bad++;
  }
  return [...counts].map(([label, c]) => ({
    label,
    segments: [
      { value: c.ok, cls: 'ok', title: 'meet policy' },
      { value: c.bad, cls: 'bad', title: 'below policy' },
      { value: c.na, cls: 'na', title: 'no policy asks' },
    ],
  }));
}

const yesNo = (ok: boolean, text: string): string => `<td class="${ok ? 'yes' : 'no'}">${e(text)}</td>`;

function databaseRow(d: ReportDatabase): string {
  const p = d.posture;
  const gap = !CONTROLS.every((c) => d.controls[c.id]);
  const errors = d.findings.filter((f) => f.severity === 'error' && !f.waived).length;
  const warnings = d.findings.filter((f) => f.severity === 'warning' && !f.waived).length;
  const rpoTarget = d.policy.rpoTargetHours === null ? '' : ` (target ${d.policy.rpoTargetHours} h)`;
  const retMin = d.policy.retentionMinDays === null ? '' : ` (min ${d.policy.retentionMinDays} d)`;
  const rto = d.policy.rtoTargetHours === null ? '' : `; RTO target ${d.policy.rtoTargetHours} h`;
  const cells = p
    ? [
        yesNo(d.controls.rpo, p.rpoHours === null ? 'off' : `${p.rpoHours} h${rpoTarget}`),
        yesNo(d.controls.retention, `${p.retentionDays} d${retMin}`),
        yesNo(d.controls.pitr, p.pitrDays ? `${p.pitrDays} d` : 'off'),
        yesNo(d.controls.offsite, p.offsite.join(', ') || 'none'),
        yesNo(d.controls.vaultLock, p.vaultLock ?? 'none'),
        yesNo(d.controls.alerts, [...p.alerts, ...p.alertTiers.map((t) => `tier ${t}`)].join(', ') || 'none'),
        yesNo(d.controls.restoreTesting, `${p.restoreTesting ?? 'none'}${rto}`),
      ].join('')
    : `<td class="no" colspan="7">not built: see problems</td>`;
  const waivers = d.waivers.map((w) => `${e(w.guardrail)} until ${e(w.expires)}${w.daysLeft < 0 ? ' (expired)' : ''}`).join('<br>');
  const name = `<td>${e(d.name)}<br><span class="note">${e(d.file)}:${d.line}</span></td>`;
  const where = `<td>${e(d.environment)}</td><td>${e(`${d.cloud} ${d.engine}`)}<br>${e(d.region)}</td><td>${e(d.account)}</td>`;
  const findings = yesNo(errors === 0, `${errors} errors, ${warnings} warnings`);
  const baseline = d.baseline.stack ? `${e(d.baseline.stack)}: ${d.baseline.status === 'built' ? 'built' : 'not built'}` : 'no baseline';
  return `<tr${gap ? ' class="gap"' : ''}>${name}${where}${cells}<td>${waivers || '—'}</td>${findings}<td>${baseline}</td></tr>`;
}

const byTeam = (dbs: readonly ReportDatabase[]): Map<string, ReportDatabase[]> => {
  const map = new Map<string, ReportDatabase[]>();
  for (const d of dbs) {
    const list = map.get(d.team);
    if (list) list.push(d);
    else map.set(d.team, [d]);
  }
  return map;
};

const TABLE_HEAD =
  '<tr><th>Database</th><th>Env</th><th>Engine</th><th>Account</th><th>RPO</th><th>Retention</th><th>PITR</th><th>Offsite</th>' +
  '<th>Vault lock</th><th>Alerts</th><th>Restore tests</th><th>Waivers</th><th>Findings</th><th>Baseline</th></tr>';

const DATABASES_NOTE =
  '<p class="note">One section per team; databases with an open guardrail error first; a red edge marks a database missing a ' +
  'control. Account baselines (AWS Config rules, Backup Audit Manager, GCP org policies) are not built yet, so no database is ' +
  'covered by one.</p>';

export function renderReportHtml(report: ReportJson): string {
  const s = report.summary;
  const dbs = report.databases;
  const tiles = [
    ['', s.databases, 'databases'],
    ['', s.teams, 'teams'],
    [s.compliant === s.databases ? 'good' : 'bad', s.compliant, 'with no open guardrail error'],
    [s.errors ? 'bad' : 'good', s.errors, 'guardrail errors'],
    [s.warnings ? 'warn' : 'good', s.warnings, 'warnings'],
    [s.waivers.expired ? 'bad' : 'good', s.waivers.expired, 'waivers expired'],
    [s.waivers.next30Days ? 'warn' : 'good', s.waivers.next30Days, 'waivers expire in 30 days'],
    ['', s.waivers.days31to90, 'waivers expire in 31–90 days'],
    ['bad', s.baselinesBuilt, 'account baselines built'],
  ] as const;

  const all = {
    team: 'All teams',
    databases: s.databases,
    coverage: Object.fromEntries(CONTROLS.map((c) => [c.id, report.teams.reduce((n, t) => n + t.coverage[c.id], 0)])),
  };
  // Past HEATMAP_TEAMS teams the heat map shows those with the lowest coverage; the tables list all.
  const worst =
    report.teams.length <= HEATMAP_TEAMS
      ? report.teams
      : [...report.teams].sort((a, b) => share(a) - share(b) || (a.team < b.team ? -1 : 1)).slice(0, HEATMAP_TEAMS);
  const rows = [all, ...worst];
  const coverage = heatmap({
    title: 'Coverage per team: databases that meet each control',
    rows: rows.map((t) => `${t.team} (${t.databases})`),
    columns: CONTROLS.map((c) => c.label),
    cells: rows.map((t) => CONTROLS.map((c) => ({ met: t.coverage[c.id] ?? 0, total: t.databases }))),
  });
  const retention = barChart({
    title: 'Retention against policy',
    bars: bucketBars(
      dbs,
      RETENTION_BUCKETS,
      (d) => ({ value: d.posture?.retentionDays ?? null, meets: d.controls.retention, asked: d.policy.retentionMinDays !== null }),
      'not built',
    ),
    width: 540,
    labelWidth: 110,
  });
  const rpo = barChart({
    title: 'RPO against target',
    bars: bucketBars(
      dbs,
      RPO_BUCKETS,
      (d) => ({ value: d.posture?.rpoHours ?? null, meets: d.controls.rpo, asked: d.policy.rpoTargetHours !== null }),
      'backups off',
    ),
    width: 540,
    labelWidth: 110,
  });
  const cls = (ok: boolean, asked: boolean): 'ok' | 'bad' | 'na' => (!asked ? 'na' : ok ? 'ok' : 'bad');
  const perDatabase =
    dbs.length <= PER_DATABASE_CHARTS
      ? `<div class="charts"><figure><figcaption><b>Retention per database</b> (the line is the policy)</figcaption>${targetChart({
          title: 'Retention per database against policy',
          unit: 'd',
          rows: dbs.map((d) => ({
            label: d.name,
            value: d.posture?.retentionDays ?? null,
            target: d.policy.retentionMinDays,
            cls: cls(d.controls.retention, d.policy.retentionMinDays !== null),
          })),
        })}</figure><figure><figcaption><b>RPO per database</b> (the line is the target)</figcaption>${targetChart({
          title: 'RPO per database against target',
          unit: 'h',
          rows: dbs.map((d) => ({
            label: d.name,
            value: d.posture?.rpoHours ?? null,
            target: d.policy.rpoTargetHours,
            cls: cls(d.controls.rpo, d.policy.rpoTargetHours !== null),
          })),
        })}</figure></div>`
      : '';
  const waiverChart = barChart({
    title: 'Waivers by expiry',
    bars: [
      { label: 'expired', segments: [{ value: s.waivers.expired, cls: 'bad', title: 'expired' }] },
      { label: 'next 30 days', segments: [{ value: s.waivers.next30Days, cls: 'soon', title: 'expire' }] },
      { label: 'in 31–90 days', segments: [{ value: s.waivers.days31to90, cls: 'later', title: 'expire' }] },
      { label: 'later', segments: [{ value: s.waivers.later, cls: 'ok', title: 'expire' }] },
    ],
    width: 540,
    labelWidth: 110,
  });

  const expiring = dbs.flatMap((d) => d.waivers.filter((w) => w.daysLeft <= 90).map((w) => ({ d, w }))).sort((a, b) => a.w.daysLeft - b.w.daysLeft);
  const waiverRows = expiring.slice(0, LIST_LIMIT).map(({ d, w }) => {
    const left = w.daysLeft < 0 ? `expired ${-w.daysLeft} d ago` : `${w.daysLeft} d`;
    return `<tr><td>${e(w.expires)}</td><td>${left}</td><td>${e(d.name)}</td><td>${e(d.team)}</td><td>${e(w.guardrail)}</td><td>${e(w.reason)}</td></tr>`;
  });
  const waiverMore = expiring.length > LIST_LIMIT ? `<p class="note">${expiring.length - LIST_LIMIT} more in the JSON report.</p>` : '';
  const waiverTable = expiring.length
    ? `<table><tr><th>Expires</th><th>In</th><th>Database</th><th>Team</th><th>Guardrail</th><th>Reason</th></tr>${waiverRows.join('')}</table>${waiverMore}`
    : '<p class="note">No waiver expires in the next 90 days.</p>';
  const below = dbs.filter((d) => !d.controls.retention || !d.controls.rpo);
  const belowMore = below.length > LIST_LIMIT ? ` (the first ${LIST_LIMIT} are listed; the JSON report has all)` : '';
  const belowNames =
    below
      .slice(0, LIST_LIMIT)
      .map((d) => e(d.name))
      .join(', ') || 'none';

  const grouped = byTeam(dbs);
  const teams = report.teams.map((t) => {
    const own = [...(grouped.get(t.team) ?? [])].sort((a, b) => Number(b.controls.compliant === false) - Number(a.controls.compliant === false));
    const gaps = own.filter((d) => !CONTROLS.every((c) => d.controls[c.id])).length;
    const summary = `${e(t.team)}: ${t.databases} databases, ${t.databases - t.coverage.compliant} with open errors, ${gaps} missing a control`;
    return `<details><summary>${summary}</summary><table>${TABLE_HEAD}${own.map(databaseRow).join('')}</table></details>`;
  });

  const problemRows = report.problems.map((p) => `<tr><td>${e(p.file ? `${p.file}:${p.line ?? 1}:${p.column ?? 1}` : '')}</td><td>${e(p.message)}</td></tr>`);
  const problems = report.problems.length ? `<h2>Problems</h2><table><tr><th>Where</th><th>Problem</th></tr>${problemRows.join('')}</table>` : '';

  const coverageMore =
    report.teams.length > HEATMAP_TEAMS
      ? ` The ${HEATMAP_TEAMS} teams with the lowest coverage of ${report.teams.length}; every team is in the tables below.`
      : '';
  const coverageCaption = `Databases that meet each control, per team (met/total). Green: all; red: none.${coverageMore}`;
  const retentionFigure =
    `<figure><figcaption><b>Retention</b></figcaption>${retention}<figcaption>Databases by backup retention. ` +
    'Policy: the highest minimum among the guardrails that apply.</figcaption></figure>';
  const rpoFigure =
    `<figure><figcaption><b>RPO</b></figcaption>${rpo}<figcaption>Databases by worst-case gap between backups. ` +
    'Target: the stated objectives.rpoHours, else the guardrails.</figcaption></figure>';

  const body = `<h1>Backup posture report</h1>
<div class="meta">${e(report.date)} · dbaas ${e(report.toolVersion)} · every database as built, against the guardrails</div>
<div class="tiles">${tiles.map(([cls, value, text]) => `<div class="tile ${cls}"><b>${value}</b><span>${e(text)}</span></div>`).join('')}</div>
<h2>Coverage per team</h2>
<figure>${coverage}<figcaption>${coverageCaption}</figcaption></figure>
<h2>Retention and RPO against policy</h2>
${legend([
  ['ok', 'meets policy'],
  ['bad', 'below policy'],
  ['na', 'no policy asks'],
])}
<div class="charts">${retentionFigure}
${rpoFigure}</div>
${perDatabase}
<p class="note">${below.length} databases below policy on retention or RPO${belowMore}: ${belowNames}.</p>
<h2>Waivers</h2>
${legend([
  ['bad', 'expired'],
  ['soon', 'next 30 days'],
  ['later', '31–90 days'],
  ['ok', 'later'],
])}
<figure>${waiverChart}</figure>
${waiverTable}
<h2>Databases</h2>
${DATABASES_NOTE}
${teams.join('\n')}
${problems}`;

  // Hash-pinned stylesheet: the CSP allows this exact <style> and nothing else (no script, no fetch).
  const styleHash = createHash('sha256').update(CSS).digest('base64');
  const csp =
    `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'none'; font-src 'none'; connect-src ` +
    `'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dbaas backup posture report ${e(report.date)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
