// `dbaas plan merge`: the shard reports of one plan run (plan --shard K/N) combined into the report
// an unsharded run gives. Shards of another commit, base, tool version or shard count, duplicates
// and missing shards are refused: a merged report must never look whole when it is not.
//
// Speed (measured in bench/README.md, "Shards"): shard JSON is nearly all stacks and the repo-wide
// findings every shard repeats. The merge reads each report as the members
// JSON.stringify(report, null, 2) lays out, parses only the small ones (shard info, counts, destroys),
// compares the repo-wide members of every shard as text with the first shard's, parses those once,
// and copies each stack's JSON text into the merged report unparsed: text and markdown parse the
// stacks when they are asked for (src/plan/source.ts). A report laid out otherwise (compact JSON) is
// parsed and laid out that way first, so both take the same path.
import { DbaasError, ExitCode, problem, type Problem } from '../errors.js';
import { reportFromTally, tallyStacks, type ReportHead, type StackTally } from './assemble.js';
import { sourceFromStackTexts, sourceOf, type PlanSource } from './source.js';
import type { PlanReport, ShardInfo, StackPlan } from './types.js';
import { ERR } from '../error-codes.js';
import { isObject } from '../json.js';

export interface ShardFile {
  /** As given on the command line: named in every problem. */
  readonly file: string;
  /** The file's bytes (kept as bytes: the stacks are copied, never decoded). */
  readonly text: string | Uint8Array;
}

const at = (file: string) => ({ location: { file, line: 1, column: 1 } });

/** Top-level keys of a report: `\n  "key": ` starts a member, and nothing else (deeper lines are indented more). */
const MEMBER = '\n  "';
const KEY = /^"([A-Za-z]+)": /;

// Searching UTF-8 bytes for ASCII is exact: no byte of a multi-byte character is below 0x80.
const has = (buf: Buffer, at: number, ascii: string) => at >= 0 && buf.toString('latin1', at, at + ascii.length) === ascii;

interface StackText {
  readonly name: string;
  readonly text: Buffer;
}

interface Split {
  readonly members: Map<string, Buffer>;
  readonly stacks: StackText[];
}

/**
 * The top-level members of a report as their JSON bytes, and its stacks one by one, in one pass; or
 * undefined when it is not laid out as JSON.stringify(value, null, 2) writes it.
 */
function splitReport(buf: Buffer): Split | undefined {
  const end = has(buf, buf.length - 3, '\n}\n') ? buf.length - 3 : has(buf, buf.length - 2, '\n}') ? buf.length - 2 : -1;
  if (!has(buf, 0, `{${MEMBER}`) || end < 1) return undefined;
  const members = new Map<string, Buffer>();
  let stacks: StackText[] | undefined;
  let pos = 1;
  while (pos < end) {
    const key = has(buf, pos, MEMBER) ? KEY.exec(buf.toString('latin1', pos + 3, Math.min(end, pos + 3 + 40))) : null;
    if (!key || members.has(key[1]!)) return undefined;
    const start = pos + 3 + key[0].length;
    let stop: number;
    if (key[1] === 'stacks') {
      // Walked element by element (the walk ends the member), so the stacks are searched once.
      const walked = walkStacks(buf, start);
      if (!walked) return undefined;
      stacks = walked.stacks;
      stop = walked.stop;
      if (stop !== end && !has(buf, stop, `,${MEMBER}`)) return undefined;
    } else {
      const next = buf.indexOf(`,${MEMBER}`, start);
      stop = next < 0 || next > end ? end : next;
    }
    members.set(key[1]!, buf.subarray(start, stop));
    pos = stop === end ? end : stop + 1;
  }
  return stacks ? { members, stacks } : undefined;
}

const NAME_LINE = '    {\n      "name": ';
/** An element of the top-level stacks array closes on the only line that is 4 spaces and `}`. */
const ELEMENT_END = '\n    }';

/** The stacks array starting at `start`: each element's bytes (`    {…    }`) and name, and where the array ends. */
function walkStacks(buf: Buffer, start: number): { stacks: StackText[]; stop: number } | undefined {
  if (has(buf, start, '[]')) return { stacks: [], stop: start + 2 };
  if (!has(buf, start, '[\n')) return undefined;
  const stacks: StackText[] = [];
  for (let at = start + 2; ;) {
    if (!has(buf, at, NAME_LINE)) return undefined;
    const eol = buf.indexOf('\n', at + NAME_LINE.length);
    let name: unknown;
    try {
      name = JSON.parse(buf.toString('utf8', at + NAME_LINE.length, eol).replace(/,$/, ''));
    } catch {
      return undefined;
    }
    const close = buf.indexOf(ELEMENT_END, eol);
    if (typeof name !== 'string' || close < 0) return undefined;
    const after = close + ELEMENT_END.length;
    stacks.push({ name, text: buf.subarray(at, after) });
    if (has(buf, after, '\n  ]')) return { stacks, stop: after + 4 };
    if (!has(buf, after, ',\n')) return undefined;
    at = after + 2;
  }
}

/** The parts of a report every shard holds alike (the whole change's), compared as text. */
const REPO_WIDE = ['schemaVersion', 'toolVersion', 'base', 'databases', 'ruleChanges', 'findings', 'problems', 'allowDestroy'] as const;
/** Each shard's own totals: small, parsed. */
const REQUIRED = [
  'schemaVersion',
  'toolVersion',
  'base',
  'databases',
  'stacks',
  'findings',
  'problems',
  'counts',
  'destroys',
  'allowDestroy',
  'refusals',
  'exitCode',
  'shard',
] as const;

interface Shard {
  readonly file: string;
  readonly members: Map<string, Buffer>;
  readonly stacks: StackText[];
  readonly shard: ShardInfo;
}

function validShard(value: unknown): value is ShardInfo {
  if (!isObject(value)) return false;
  return (
    Number.isInteger(value.index) &&
    Number.isInteger(value.count) &&
    typeof value.toolVersion === 'string' &&
    Number.isInteger(value.stacks) &&
    Array.isArray(value.ruleRefusals)
  );
}

/** One shard file read, or the problem that says why it is not one. */
function readShard(f: ShardFile): Shard | Problem {
  const notAShard = problem({
    code: ERR.NOT_A_SHARD,
    ...at(f.file),
    field: 'shard',
    message: `${f.file} is not a shard report; expected the JSON report of dbaas plan --shard K/N (--format json or --save-json)`,
  });
  const bytes = typeof f.text === 'string' ? Buffer.from(f.text) : Buffer.from(f.text.buffer, f.text.byteOffset, f.text.byteLength);
  let split = splitReport(bytes);
  if (!split) {
    // Not laid out as dbaas writes it (compact, or edited): parse it and lay it out that way.
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      return problem({ code: ERR.BAD_JSON, ...at(f.file), message: `${f.file} is not JSON (${(error as Error).message}); expected a shard's JSON report` });
    }
    if (!isObject(json)) return notAShard;
    split = splitReport(Buffer.from(JSON.stringify(json, null, 2)));
    if (!split) return notAShard;
  }
  const { members, stacks } = split;
  if (REQUIRED.some((k) => !members.has(k)) || members.get('schemaVersion')!.toString() !== '1') return notAShard;
  let shard: unknown;
  try {
    shard = JSON.parse(members.get('shard')!.toString());
  } catch {
    return notAShard;
  }
  return validShard(shard) ? { file: f.file, members, stacks, shard } : notAShard;
}

const parse = <T>(shard: Shard, key: string): T => JSON.parse(shard.members.get(key)!.toString()) as T;

/** The merged report, or a DbaasError (exit 2) with one problem per reason the shards do not add up. */
export function mergeShardReports(files: readonly ShardFile[]): PlanSource {
  const problems: Problem[] = [];
  const shards: Shard[] = [];
  for (const f of files) {
    const read = readShard(f);
    if ('code' in read) problems.push(read);
    else shards.push(read);
  }
  if (problems.length || !shards.length) {
    if (!shards.length && !problems.length)
      problems.push(problem({ code: ERR.NO_SHARDS, message: 'no shard reports given; expected the JSON reports of every shard of one plan run' }));
    throw new DbaasError(problems, ExitCode.invalid);
  }

  const first = shards[0]!;
  const same: [keyof ShardInfo, string][] = [
    ['commit', 'commit'],
    ['base', 'base commit'],
    ['toolVersion', 'dbaas version'],
    ['count', 'shard count'],
  ];
  for (const s of shards.slice(1)) {
    for (const [key, what] of same) {
      if (s.shard[key] !== first.shard[key]) {
        problems.push(
          problem({
            code: ERR.SHARD_MISMATCH,
            ...at(s.file),
            field: `shard.${key}`,
            value: s.shard[key],
            message:
              `${s.file} is a shard of ${what} ${JSON.stringify(s.shard[key])}, but ${first.file} of ` +
              `${JSON.stringify(first.shard[key])}; expected the shards of one plan run`,
          }),
        );
      }
    }
  }
  if (problems.length) throw new DbaasError(problems, ExitCode.invalid);

  const count = first.shard.count;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const seen = byIndex.get(s.shard.index);
    if (seen)
      problems.push(
        problem({
          code: ERR.SHARD_DUPLICATE,
          ...at(s.file),
          field: 'shard.index',
          value: s.shard.index,
          message: `${s.file} is shard ${s.shard.index}/${count} again (also ${seen}); expected each shard once`,
        }),
      );
    else byIndex.set(s.shard.index, s.file);
  }
  for (let k = 1; k <= count; k++) {
    if (!byIndex.has(k))
      problems.push(
        problem({
          code: ERR.SHARD_MISSING,
          field: 'shard.index',
          value: k,
          message: `shard ${k}/${count} is missing; expected the reports of all ${count} shards (its job may have failed before writing one)`,
        }),
      );
  }
  if (problems.length) throw new DbaasError(problems, ExitCode.invalid);

  // Everything but the stacks is the whole change's, in every shard: it must agree. Compared as the
  // text the same code wrote (equal values, equal text), so the findings are parsed once, not N times.
  const refusals = JSON.stringify(first.shard.ruleRefusals);
  const terraformRan = first.members.has('terraform');
  for (const s of shards.slice(1)) {
    const sameBytes = (k: string) =>
      s.members.get(k) && first.members.get(k) ? s.members.get(k)!.equals(first.members.get(k)!) : s.members.get(k) === first.members.get(k);
    const differs = !REPO_WIDE.every(sameBytes)
      ? 'findings, rule changes, problems or --allow-destroy'
      : JSON.stringify(s.shard.ruleRefusals) !== refusals
        ? 'rule refusals'
        : s.members.has('terraform') !== terraformRan
          ? 'whether terraform ran'
          : s.shard.stacks !== first.shard.stacks
            ? 'the number of stacks in the whole plan'
            : undefined;
    if (differs)
      problems.push(
        problem({
          code: ERR.SHARD_MISMATCH,
          ...at(s.file),
          message: `${s.file} differs from ${first.file} in ${differs}; expected the shards of one plan run with the same flags`,
        }),
      );
  }
  const owner = new Map<string, string>();
  for (const s of shards) {
    for (const st of s.stacks) {
      const other = owner.get(st.name);
      if (other)
        problems.push(
          problem({
            code: ERR.SHARD_OVERLAP,
            ...at(s.file),
            field: 'stacks',
            value: st.name,
            message: `stack ${JSON.stringify(st.name)} is in both ${other} and ${s.file}; expected each stack in one shard`,
          }),
        );
      else owner.set(st.name, s.file);
    }
  }
  if (!problems.length && owner.size !== first.shard.stacks) {
    problems.push(
      problem({
        code: ERR.SHARD_INCOMPLETE,
        field: 'stacks',
        value: owner.size,
        message: `the shards hold ${owner.size} stack(s) but the plan has ${first.shard.stacks}; expected every stack in one shard`,
      }),
    );
  }
  if (problems.length) throw new DbaasError(problems, ExitCode.invalid);

  // Invalid input is the same in every shard: it has no stacks to merge.
  if (parse<number>(first, 'exitCode') === ExitCode.invalid) {
    const members = Object.fromEntries([...first.members].filter(([k]) => k !== 'shard').map(([k, v]) => [k, JSON.parse(v.toString())]));
    return sourceOf(members as unknown as PlanReport);
  }

  const head: ReportHead = {
    schemaVersion: 1,
    toolVersion: parse(first, 'toolVersion'),
    base: parse(first, 'base'),
    databases: parse(first, 'databases'),
    ...(first.members.has('ruleChanges') ? { ruleChanges: parse(first, 'ruleChanges') } : {}),
    findings: parse(first, 'findings'),
    problems: parse(first, 'problems'),
    allowDestroy: parse(first, 'allowDestroy'),
  };
  const stacks = shards.flatMap((s) => s.stacks).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tally = mergedTally(shards, stacks);
  const plansDir = terraformRan ? parse<{ plansDir: string }>(first, 'terraform').plansDir : undefined;
  const { stacks: texts, ...summary } = reportFromTally(
    head,
    stacks.map((s) => s.text),
    tally,
    first.shard.ruleRefusals,
    plansDir,
  );
  return sourceFromStackTexts(summary, texts);
}

/**
 * The tally of all the shards' stacks: each shard's counts and terraform totals are sums over its own
 * stacks, so they add up; the destroy lists are made again from the only stacks that can hold one
 * (those a shard's destroys name), in name order, as an unsharded plan lists them.
 */
function mergedTally(shards: readonly Shard[], stacks: readonly StackText[]): StackTally {
  type Counts = { stacksChanged: number; add: number; change: number; destroy: number };
  type Terraform = { add: number; change: number; destroy: number; failed: number };
  const counts = shards.map((s) => parse<Counts>(s, 'counts'));
  const terraform = shards.flatMap((s) => (s.members.has('terraform') ? [parse<Terraform>(s, 'terraform')] : []));
  const named = new Set(shards.flatMap((s) => parse<{ stack: string }[]>(s, 'destroys').map((d) => d.stack)));
  const destroying = tallyStacks(stacks.filter((s) => named.has(s.name)).map((s) => JSON.parse(s.text.toString()) as StackPlan));
  const sum = <T>(xs: readonly T[], pick: (x: T) => number) => xs.reduce((n, x) => n + pick(x), 0);
  return {
    stacksChanged: sum(counts, (c) => c.stacksChanged),
    add: sum(counts, (c) => c.add),
    change: sum(counts, (c) => c.change),
    destroy: sum(counts, (c) => c.destroy),
    configDestroys: destroying.configDestroys,
    terraformDestroys: destroying.terraformDestroys,
    terraform: {
      add: sum(terraform, (t) => t.add),
      change: sum(terraform, (t) => t.change),
      destroy: sum(terraform, (t) => t.destroy),
      failed: sum(terraform, (t) => t.failed),
    },
  };
}
