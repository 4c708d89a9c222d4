// Every entry's stack, or the Problem saying why it cannot be built, sorted by name: the in-process
// shape tests want (the commands stream outcomes instead; see src/commands/synth.ts).
import type { Problem } from '../../src/errors.js';
import type { ResolvedEntry } from '../../src/resolve/index.js';
import { synthBatch, type BatchOptions } from '../../src/synth/batch.js';
import { SynthError, synthProblem, type SynthContext, type SynthesizedStack } from '../../src/synth/index.js';

export async function synthAll(
  entries: readonly ResolvedEntry[],
  ctx: SynthContext,
  options: BatchOptions = {},
): Promise<{ stacks: SynthesizedStack[]; problems: Problem[] }> {
  const sorted = [...entries].sort((a, b) => (a.db.name < b.db.name ? -1 : a.db.name > b.db.name ? 1 : 0));
  const outcomes = await synthBatch(
    sorted.map((e) => e.db),
    ctx,
    options,
  );
  const stacks: SynthesizedStack[] = [];
  const problems: Problem[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome instanceof SynthError) problems.push(synthProblem(sorted[i]!, outcome));
    else stacks.push(outcome);
  });
  return { stacks, problems };
}
