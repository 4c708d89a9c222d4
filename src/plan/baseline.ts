// Baseline stacks in the plan (issue 15 part 1): built for head and base like database stacks and
// diffed the same way. They change when the config's baseline or accounts change, or when a
// guardrail number they take changes; a scoped plan (no config or policy edit) cannot change them.
import { loadRegistry, readOverrides } from '../guard/registry.js';
import type { RepoFiles } from '../load/repo.js';
import type { ResolvedRepo } from '../resolve/index.js';
import { baselineTargets, synthBaseline, type BaselineTarget, type NumbersSource } from '../synth/baseline/index.js';
import { compactJson } from '../synth/json.js';
import type { SynthesizedStack } from '../synth/types.js';
import { TOOL_VERSION } from '../version.js';
import { diffBlocks, diffStacks, newStackChanges, type StackJson } from './diff.js';
import type { StackPlan } from './types.js';

/** The guardrail numbers of a revision: its registry (baseline pack + its policies) and its overrides. */
export function numbersSource(repo: ResolvedRepo, policies?: RepoFiles['policies']): NumbersSource {
  const registry = loadRegistry({ root: repo.root, ...(policies ? { repoFiles: policies } : {}) });
  return { registry, overrides: readOverrides(repo.configSpec, registry).overrides };
}

/** Where the baseline is configured, for the plan's file:line. */
function location(repo: ResolvedRepo): { file: string; line: number } {
  const at = repo.configSpec.doc.locate(['baseline']);
  return { file: at.file, line: at.line };
}

function reasonsFor(head: BaselineTarget, base: BaselineTarget, headRepo: ResolvedRepo, baseRepo: ResolvedRepo): string[] {
  const out: string[] = [];
  if (
    compactJson(headRepo.config.baseline) !== compactJson(baseRepo.config.baseline) ||
    compactJson(headRepo.config.clouds) !== compactJson(baseRepo.config.clouds)
  )
    out.push('dbaas.config.yaml');
  if (compactJson(head.numbers) !== compactJson(base.numbers)) out.push(`guardrail numbers (${head.numbers.sources.join(', ')})`);
  return out.length ? out : ['tool version'];
}

export interface BaselinePlans {
  readonly plans: StackPlan[];
  /** Head stacks of the changed baselines. */
  readonly stacks: SynthesizedStack[];
}

/**
 * The baseline stacks that differ between base and head (all of them with no base). `head` and
 * `headSource` are the working tree's; `base` is undefined for a plan without a base.
 */
export async function planBaselines(
  head: ResolvedRepo,
  headSource: NumbersSource,
  base: { repo: ResolvedRepo; files: RepoFiles } | undefined,
): Promise<BaselinePlans> {
  const headTargets = baselineTargets(head.config, headSource);
  const baseTargets = base ? baselineTargets(base.repo.config, numbersSource(base.repo, base.files.policies)) : [];
  const baseByName = new Map(baseTargets.map((t) => [t.name, t]));
  const names = [...new Set([...headTargets.map((t) => t.name), ...baseTargets.map((t) => t.name)])].sort();
  const headByName = new Map(headTargets.map((t) => [t.name, t]));
  const plans: StackPlan[] = [];
  const stacks: SynthesizedStack[] = [];
  for (const name of names) {
    const h = headByName.get(name);
    const b = baseByName.get(name);
    const headStack = h ? await synthBaseline(h, { config: head.config, toolVersion: TOOL_VERSION }) : undefined;
    const baseStack = b && base ? await synthBaseline(b, { config: base.repo.config, toolVersion: TOOL_VERSION }) : undefined;
    if (headStack && baseStack && headStack.json === baseStack.json) continue;
    const baseJson = baseStack && (JSON.parse(baseStack.json) as StackJson);
    const headJson = headStack && (JSON.parse(headStack.json) as StackJson);
    const resources = !baseStack && headStack ? newStackChanges(headStack.addresses) : diffStacks(baseJson, headJson);
    const blocks = diffBlocks(baseJson, baseStack ? headJson : undefined);
    const add = resources.filter((r) => r.action === 'create' || r.action === 'replace').length;
    const change = resources.filter((r) => r.action === 'update').length;
    const destroy = resources.filter((r) => r.action === 'delete' || r.action === 'replace').length;
    const target = (h ?? b)!;
    const where = location(h ? head : base!.repo);
    plans.push({
      name,
      kind: 'baseline',
      cloud: target.cloud,
      team: 'baseline',
      environment: target.environment,
      file: where.file,
      line: where.line,
      action: !baseStack ? 'create' : !headStack ? 'delete' : 'update',
      touchedBy: !b || !base ? ['new baseline'] : !h ? ['baseline removed'] : reasonsFor(h, b, head, base.repo),
      resources,
      blocks,
      counts: { add, change, destroy },
      destroysData: resources.some((r) => r.destroysData),
      posture: {},
      notes: headStack?.notes ?? [],
    });
    if (headStack) stacks.push(headStack);
  }
  return { plans, stacks };
}
