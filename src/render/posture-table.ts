// The backup posture of each touched database, before → after, as the PR comment's table and as
// lines of the text plan. Every value comes from src/plan/posture.ts, which reads the built stacks.
import type { BackupPosture, PostureClaim } from '../plan/posture.js';
import type { StackPlan } from '../plan/types.js';
import { mdCode, mdText } from './escape.js';

/** Names, regions, schedules and channel names come from specs: data, through the shared helper. */
const cell = mdText;

const ACTION_ICON: Record<string, string> = { create: '🆕', update: '✏️', delete: '🗑️', 'no-op': '·' };

type Pick = (p: BackupPosture) => string;

const claims = (list: readonly PostureClaim[], empty: string) => (list.length ? list.map((c) => c.text).join(', ') : empty);
const withReason = (c: PostureClaim) => (c.reason && c.resources.length === 0 ? `${c.text} (${c.reason})` : c.text);
/** Each alert with the tiers it reaches, then each channel with its tier: "backup failed (page/notify/record) → ops (notify: email)". */
const alertsText: Pick = (p) => {
  const alerts = p.alerts.length ? p.alerts.map((a) => `${a.text} (${a.tiers.join('/')})`).join(', ') : 'none';
  const channels = p.channels.map((c) => `${c.name} (${c.tier}: ${c.kinds.join('/')})`).join(', ');
  return `${alerts}${channels ? ` → ${channels}` : p.alerts.length ? ' → no channel' : ''}`;
};

/** ", RTO 4h (slower drill alerts)" when the stack checks an RTO; with a reason when one is stated but unchecked. */
const rtoSuffix = (p: BackupPosture, reason = false) =>
  p.rto.resources.length ? `, RTO ${p.rto.text}` : reason && p.rto.reason ? `, RTO ${withReason(p.rto)}` : '';

export const POSTURE_COLUMNS: readonly { readonly title: string; readonly pick: Pick; readonly text: Pick }[] = [
  { title: 'cloud · region', pick: (p) => `${p.cloud} ${p.region}`, text: (p) => `${p.cloud} ${p.region}` },
  {
    title: 'schedule (RPO)',
    pick: (p) => `${p.schedule.text}${p.schedule.resources.length ? ` ${p.timezone}` : ''} (RPO ${p.rpoHours === null ? '?' : `${p.rpoHours}h`})`,
    text: (p) => `${withReason(p.schedule)}${p.schedule.resources.length ? ` ${p.timezone}` : ''}, RPO ${p.rpoHours === null ? 'unknown' : `${p.rpoHours}h`}`,
  },
  { title: 'retention', pick: (p) => p.retention.text, text: (p) => withReason(p.retention) },
  { title: 'PITR', pick: (p) => p.pitr.text, text: (p) => withReason(p.pitr) },
  { title: 'offsite copy', pick: (p) => claims(p.offsite, 'none'), text: (p) => claims(p.offsite, `none${p.offsiteReason ? ` (${p.offsiteReason})` : ''}`) },
  { title: 'vault lock', pick: (p) => p.vaultLock.text, text: (p) => withReason(p.vaultLock) },
  { title: 'exports', pick: (p) => claims(p.exports, 'none'), text: (p) => claims(p.exports, 'none') },
  { title: 'alerts (tiers) → channels', pick: alertsText, text: alertsText },
  // The RTO rides with the restore tests that measure it (src/plan/posture.ts reads both from the stack).
  { title: 'restore test', pick: (p) => `${p.restoreTesting.text}${rtoSuffix(p)}`, text: (p) => `${withReason(p.restoreTesting)}${rtoSuffix(p, true)}` },
];

function postureCell(before: BackupPosture | undefined, after: BackupPosture | undefined, pick: Pick): string {
  const a = before && pick(before);
  const b = after && pick(after);
  if (a === undefined) return cell(b ?? '');
  if (b === undefined) return `~~${cell(a)}~~`;
  return a === b ? cell(b) : `${cell(a)} → **${cell(b)}**`;
}

/** The table's title and header rows. */
export const POSTURE_TABLE_HEADER = [
  '#### Databases',
  `| database | env | change | ${POSTURE_COLUMNS.map((c) => c.title).join(' | ')} |`,
  `|${'---|'.repeat(POSTURE_COLUMNS.length + 3)}`,
].join('\n');

/** One table row per stack, then (after a blank line, so the table ends) what the rows cannot say. */
export function postureTableLines(stacks: readonly StackPlan[]): string[] {
  // Account baselines hold no database: no backup posture to show (they are listed in the details).
  const rows = stacks
    .filter((st) => st.kind !== 'baseline')
    .map((st) => {
      const { before, after } = st.posture;
      const noStack = !before && !after ? ' (no stack built)' : '';
      // A no-op is listed because what it is built from changed; say so, or it reads as noise.
      const change = st.action === 'no-op' ? `no-op: ${cell(st.touchedBy.join(', '))} changed, no resource change` : st.action;
      const posture = POSTURE_COLUMNS.map((c) => postureCell(before, after, c.pick)).join(' | ');
      return `| ${mdCode(st.name)} | ${cell(st.environment)} | ${ACTION_ICON[st.action] ?? ''} ${change}${noStack} | ${posture} |`;
    });
  const caveats = stacks.flatMap((st) => (st.posture.after?.caveats ?? st.posture.before?.caveats ?? []).map((c) => `- ${mdCode(st.name)}: ${cell(c)}`));
  return caveats.length ? [...rows, '', ...caveats] : rows;
}

/** The posture of one stack for the text plan, indented under its header line. */
export function postureTextLines(st: StackPlan): string[] {
  const { before, after } = st.posture;
  const p = after ?? before;
  if (st.kind === 'baseline') return ['  account baseline: no database, no backup posture'];
  if (!p) return ['  posture: no stack built'];
  const lines = POSTURE_COLUMNS.map((c) => {
    const now = c.text(p);
    const was = before && after ? c.text(before) : undefined;
    return `  ${c.title}: ${was !== undefined && was !== now ? `${was} → ${now}` : now}`;
  });
  return ['  posture:', ...lines.map((l) => `  ${l}`), ...p.caveats.map((c) => `    ! ${c}`)];
}
