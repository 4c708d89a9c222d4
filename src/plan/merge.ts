// `dbaas plan merge`: the shard reports of one plan run (plan --shard K/N) combined into the report
// an unsharded run gives. Shards of another commit, base, tool version or shard count, duplicates
// and missing shards are refused: a merged report must never look whole when it is not.
import { DbaasError, ExitCode, problem, type Problem } from '../errors.js';
import { assembleReport, reportHead } from './assemble.js';
import type { PlanReport, ShardInfo } from './types.js';
import { ERR } from '../error-codes.js';
import { isObject } from '../json.js';

export interface ShardFile {
  /** As given on the command line: named in every problem. */
  readonly file: string;
  /** The parsed JSON. */
  readonly json: unknown;
}

function shardOf(json: unknown): ShardInfo | undefined {
  if (!isObject(json) || json.schemaVersion !== 1 || !Array.isArray(json.stacks) || !isObject(json.shard)) return undefined;
  const s = json.shard;
  const ok = Number.isInteger(s.index) && Number.isInteger(s.count) && typeof s.toolVersion === 'string' && Number.isInteger(s.stacks) && Array.isArray(s.ruleRefusals);
  return ok ? (s as unknown as ShardInfo) : undefined;
}

const at = (file: string) => ({ location: { file, line: 1, column: 1 } });

/** The merged report, or a DbaasError (exit 2) with one problem per reason the shards do not add up. */
export function mergeShardReports(files: readonly ShardFile[]): PlanReport {
  const problems: Problem[] = [];
  const shards: { file: string; report: PlanReport; shard: ShardInfo }[] = [];
  for (const f of files) {
    const shard = shardOf(f.json);
    if (!shard) {
      problems.push(problem({ code: ERR.NOT_A_SHARD, ...at(f.file), field: 'shard', message: `${f.file} is not a shard report; expected the JSON report of dbaas plan --shard K/N (--format json or --save-json)` }));
      continue;
    }
    shards.push({ file: f.file, report: f.json as PlanReport, shard });
  }
  if (problems.length || !shards.length) {
    if (!shards.length && !problems.length) problems.push(problem({ code: ERR.NO_SHARDS, message: 'no shard reports given; expected the JSON reports of every shard of one plan run' }));
    throw new DbaasError(problems, ExitCode.invalid);
  }

  const first = shards[0]!;
  const same: [keyof ShardInfo, string][] = [['commit', 'commit'], ['base', 'base commit'], ['toolVersion', 'dbaas version'], ['count', 'shard count']];
  for (const s of shards.slice(1)) {
    for (const [key, what] of same) {
      if (s.shard[key] !== first.shard[key]) {
        problems.push(problem({ code: ERR.SHARD_MISMATCH, ...at(s.file), field: `shard.${key}`, value: s.shard[key], message: `${s.file} is a shard of ${what} ${JSON.stringify(s.shard[key])}, but ${first.file} of ${JSON.stringify(first.shard[key])}; expected the shards of one plan run` }));
      }
    }
  }
  if (problems.length) throw new DbaasError(problems, ExitCode.invalid);

  const count = first.shard.count;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const seen = byIndex.get(s.shard.index);
    if (seen) problems.push(problem({ code: ERR.SHARD_DUPLICATE, ...at(s.file), field: 'shard.index', value: s.shard.index, message: `${s.file} is shard ${s.shard.index}/${count} again (also ${seen}); expected each shard once` }));
    else byIndex.set(s.shard.index, s.file);
  }
  for (let k = 1; k <= count; k++) {
    if (!byIndex.has(k)) problems.push(problem({ code: ERR.SHARD_MISSING, field: 'shard.index', value: k, message: `shard ${k}/${count} is missing; expected the reports of all ${count} shards (its job may have failed before writing one)` }));
  }
  if (problems.length) throw new DbaasError(problems, ExitCode.invalid);

  // Everything but the stacks is the whole change's, in every shard: it must agree. Plain
  // JSON.stringify: the shards come from the same code, so equal values have the same key order.
  const compactJson = (value: unknown) => JSON.stringify(value);
  const head = compactJson(reportHead(first.report));
  const refusals = compactJson(first.shard.ruleRefusals);
  const terraformRan = first.report.terraform !== undefined;
  for (const s of shards.slice(1)) {
    const differs = compactJson(reportHead(s.report)) !== head ? 'findings, rule changes, problems or --allow-destroy' : compactJson(s.shard.ruleRefusals) !== refusals ? 'rule refusals' : (s.report.terraform !== undefined) !== terraformRan ? 'whether terraform ran' : s.shard.stacks !== first.shard.stacks ? 'the number of stacks in the whole plan' : undefined;
    if (differs) problems.push(problem({ code: ERR.SHARD_MISMATCH, ...at(s.file), message: `${s.file} differs from ${first.file} in ${differs}; expected the shards of one plan run with the same flags` }));
  }
  const owner = new Map<string, string>();
  for (const s of shards) {
    for (const st of s.report.stacks) {
      const other = owner.get(st.name);
      if (other) problems.push(problem({ code: ERR.SHARD_OVERLAP, ...at(s.file), field: 'stacks', value: st.name, message: `stack ${JSON.stringify(st.name)} is in both ${other} and ${s.file}; expected each stack in one shard` }));
      else owner.set(st.name, s.file);
    }
  }
  if (!problems.length && owner.size !== first.shard.stacks) {
    problems.push(problem({ code: ERR.SHARD_INCOMPLETE, field: 'stacks', value: owner.size, message: `the shards hold ${owner.size} stack(s) but the plan has ${first.shard.stacks}; expected every stack in one shard` }));
  }
  if (problems.length) throw new DbaasError(problems, ExitCode.invalid);

  // Invalid input is the same in every shard: it has no stacks to merge.
  if (first.report.exitCode === ExitCode.invalid) {
    const { shard: _, ...whole } = first.report;
    return whole;
  }
  const stacks = shards.flatMap((s) => s.report.stacks).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return assembleReport({ head: reportHead(first.report), stacks, ruleRefusals: first.shard.ruleRefusals, ...(terraformRan ? { plansDir: first.report.terraform!.plansDir } : {}) });
}
