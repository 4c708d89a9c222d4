// The judge comes from the base: a pull request that edits the rules that judge it (guardrail files
// under policies/, guardrails.overrides, teams or requiredLabels in dbaas.config.yaml) is judged by
// the base revision's rules. Its own rule changes are listed, with the databases whose findings they
// would change (both rule sets are evaluated and the findings compared), and take effect once merged.
import { ExitCode, type Problem } from '../errors.js';
import { findingToJson, type FindingJson } from '../render/findings.js';
import { isBlocking } from '../guard/types.js';
import { parseRepoFiles, type RepoFiles } from '../load/repo.js';
import { guardFiles, type Guarded, type GuardOptions, type RuleSource } from '../pipeline.js';
import { problemToJson } from '../render/problems.js';
import { compactJson } from '../synth/json.js';
import { validateRepo } from '../validate/index.js';
import type { RuleChange, RuleChangesReport, RuleVerdict } from './types.js';

type Ok = Extract<Guarded, { ok: true }>;

export interface BaseJudgement {
  readonly report: RuleChangesReport;
  /** Findings under the base's rules: these decide the exit code. */
  readonly findings: readonly FindingJson[];
  /** Why the plan is refused under the base's rules beyond its findings (head specs invalid under them). */
  readonly refusals: readonly string[];
}

const same = (a: unknown, b: unknown) => compactJson(a ?? null) === compactJson(b ?? null);

/** The base's rules: its config (validated alone) and its policy files. */
export function baseRules(baseFiles: RepoFiles): RuleSource {
  // Only the config is needed; the base's specs are not this change's business here.
  const validated = validateRepo(parseRepoFiles({ ...baseFiles, specs: [], problems: [] }));
  return { ...(validated.config ? { config: validated.config } : {}), policies: baseFiles.policies };
}

/** Every rule the change adds, removes or edits, without the databases yet. */
function changedRules(head: Ok, baseFiles: RepoFiles, rules: RuleSource): Omit<RuleChange, 'databases'>[] {
  const out: Omit<RuleChange, 'databases'>[] = [];
  const action = (a: unknown, b: unknown): RuleChange['action'] => (a === undefined ? 'added' : b === undefined ? 'removed' : 'edited');
  // Guardrail files: compared by text, so any edit (even a comment) is listed; a moved file is an edit.
  const byId = (files: readonly { file: string; text: string }[]) => new Map(files.map((f) => [f.file.replace(/^.*\//, '').replace(/\.ya?ml$/i, ''), f]));
  const before = byId(baseFiles.policies);
  const after = byId(head.files.policies);
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(id);
    const b = after.get(id);
    if (a?.text === b?.text && a?.file === b?.file) continue;
    const severity = (file: typeof a) => (file ? /^\s*severity:\s*["']?(\w+)/m.exec(file.text)?.[1] : undefined);
    const sev = severity(a) !== severity(b) && a && b ? `severity ${severity(a)} → ${severity(b)}` : undefined;
    out.push({
      kind: 'guardrail',
      id,
      action: action(a, b),
      file: (b ?? a)!.file,
      summary: sev ?? (b ? (a ? 'definition edited' : 'new guardrail') : 'guardrail deleted'),
    });
  }
  const baseConfig = (rules.config?.value ?? {}) as Record<string, unknown>;
  const headConfig = head.repo.config as unknown as Record<string, unknown>;
  const overridesOf = (c: Record<string, unknown>) =>
    ((c.guardrails as { overrides?: Record<string, unknown> } | undefined)?.overrides ?? {}) as Record<
      string,
      { severity?: string; reason?: string } | undefined
    >;
  const [ob, oh] = [overridesOf(baseConfig), overridesOf(headConfig)];
  for (const id of [...new Set([...Object.keys(ob), ...Object.keys(oh)])].sort()) {
    if (same(ob[id], oh[id])) continue;
    const describe = (o: { severity?: string } | undefined) => (o ? (o.severity ?? 'default severity') : 'no override');
    out.push({
      kind: 'override',
      id,
      action: action(ob[id], oh[id]),
      file: 'dbaas.config.yaml',
      summary: `guardrails.overrides.${id}: ${describe(ob[id])} → ${describe(oh[id])}`,
    });
  }
  const teamsOf = (c: Record<string, unknown>) => (c.teams ?? {}) as Record<string, unknown>;
  const [tb, th] = [teamsOf(baseConfig), teamsOf(headConfig)];
  for (const team of [...new Set([...Object.keys(tb), ...Object.keys(th)])].sort()) {
    if (same(tb[team], th[team])) continue;
    out.push({
      kind: 'team',
      id: team,
      action: action(tb[team], th[team]),
      file: 'dbaas.config.yaml',
      summary: `teams.${team}: ${compactJson(tb[team] ?? null)} → ${compactJson(th[team] ?? null)}`,
    });
  }
  if (!same(baseConfig.requiredLabels, headConfig.requiredLabels)) {
    out.push({
      kind: 'requiredLabels',
      id: 'requiredLabels',
      action: action(baseConfig.requiredLabels, headConfig.requiredLabels),
      file: 'dbaas.config.yaml',
      summary: `requiredLabels: ${compactJson(baseConfig.requiredLabels ?? [])} → ${compactJson(headConfig.requiredLabels ?? [])}`,
    });
  }
  return out;
}

const verdictOf = (f: FindingJson | undefined): RuleVerdict => (!f ? 'pass' : f.waived ? 'waived' : f.severity === 'error' ? 'error' : 'warning');
const findingKey = (f: FindingJson) => `${f.database}\0${f.guardrail}\0${f.field}`;

/**
 * Judges the head by the base's rules when the change edits them; undefined when it edits none.
 * `head` is the head judged by its own rules (already checked: it loads and resolves).
 */
export function judgeByBase(head: Ok, baseFiles: RepoFiles, options: Pick<GuardOptions, 'env' | 'baselineDir'> = {}): BaseJudgement | undefined {
  const rules = baseRules(baseFiles);
  const changes = changedRules(head, baseFiles, rules);
  if (!changes.length) return undefined;
  // A base config that exists but does not validate has no rules we could trust: refuse, never judge by fewer.
  const baseConfigInvalid = baseFiles.config !== undefined && rules.config === undefined;

  const prFindings = head.guard.findings.map(findingToJson);
  const prExit = head.guard.findings.some(isBlocking) ? ExitCode.findings : ExitCode.ok;
  const judged = guardFiles(head.files, { ...options, rules });
  const baseProblems: Problem[] = judged.ok ? [] : [...judged.problems];
  // Specs that do not resolve under the base's rules (a team the base does not know), or a base whose
  // guardrails do not load, refuse the plan: never fall back to the PR's own rules.
  const baseFindings = judged.ok ? judged.guard.findings.map(findingToJson) : [];

  // Side by side: every (database, guardrail, field) whose verdict differs between the two rule sets.
  const b = new Map(baseFindings.map((f) => [findingKey(f), f]));
  const h = new Map(prFindings.map((f) => [findingKey(f), f]));
  const differences = [...new Set([...b.keys(), ...h.keys()])].sort().flatMap((key) => {
    const [bv, hv] = [verdictOf(b.get(key)), verdictOf(h.get(key))];
    if (bv === hv) return [];
    const f = (b.get(key) ?? h.get(key))!;
    return [{ database: f.database, guardrail: f.guardrail, field: f.field, underBase: bv, underPr: hv }];
  });
  const teamOf = new Map(head.repo.entries.map((e) => [e.db.name, e.db.team]));
  const problemDatabases = new Set(head.repo.entries.filter((e) => baseProblems.some((p) => p.location?.file === e.spec.doc.file)).map((e) => e.db.name));
  const databasesFor = (c: Omit<RuleChange, 'databases'>): string[] => {
    const names =
      c.kind === 'guardrail' || c.kind === 'override'
        ? differences.filter((d) => d.guardrail === c.id).map((d) => d.database)
        : c.kind === 'team'
          ? [...differences.map((d) => d.database), ...problemDatabases].filter((n) => teamOf.get(n) === c.id)
          : [...differences.map((d) => d.database), ...problemDatabases];
    return [...new Set(names)].sort();
  };

  const report: RuleChangesReport = {
    judgedBy: 'base',
    changes: changes.map((c) => ({ ...c, databases: databasesFor(c) })),
    differences,
    findingsUnderPrRules: prFindings,
    exitCodeUnderPrRules: prExit,
    problemsUnderBaseRules: baseProblems.map(problemToJson),
  };
  const refusals = [
    ...(baseConfigInvalid ? ["the base's dbaas.config.yaml does not validate, so its rules cannot judge this PR's rule changes; fix the base first"] : []),
    ...(baseProblems.length
      ? [
          `${baseProblems.length} problem${baseProblems.length === 1 ? '' : 's'} under the base's rules (this ` +
            `PR's rule changes take effect only once merged): ${baseProblems[0]!.message}`,
        ]
      : []),
  ];
  return { report, findings: baseFindings, refusals };
}
