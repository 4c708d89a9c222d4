// A plan report as the outputs read it: its summary (everything but the stacks), its JSON text in
// pieces and, only when a format needs them, its parsed stacks. plan merge keeps the shards' stacks as
// the JSON texts the shards wrote, so the JSON report of 10,000 stacks is copied, never re-parsed or
// re-serialized; a whole plan's report is simply wrapped.
import type { PlanReport, StackPlan } from './types.js';

export interface PlanSource {
  /** Everything but `stacks`: the totals, findings, problems and exit code. */
  readonly summary: Omit<PlanReport, 'stacks'>;
  /** The JSON report in pieces: joined, exactly `${JSON.stringify(report(), null, 2)}\n`. */
  jsonChunks(): Iterable<string | Uint8Array>;
  /** The whole report, stacks parsed (text and markdown need them). */
  report(): PlanReport;
}

export function sourceOf(report: PlanReport): PlanSource {
  const { stacks: _, ...summary } = report;
  return { summary, jsonChunks: () => [`${JSON.stringify(report, null, 2)}\n`], report: () => report };
}

export const isPlanSource = (value: PlanReport | PlanSource): value is PlanSource => 'summary' in value && 'jsonChunks' in value;

const PLACEHOLDER = 'dbaas:stacks';
/** Chunks of about this many bytes: few writes, and no report-sized string. */
const CHUNK = 1 << 20;

/**
 * A report whose stacks are JSON texts as JSON.stringify(report, null, 2) lays out the elements of the
 * top-level `stacks` array (4-space indented objects): the merged report of plan merge.
 */
export function sourceFromStackTexts(summary: Omit<PlanReport, 'stacks'>, stackTexts: readonly Uint8Array[]): PlanSource {
  let parsed: PlanReport | undefined;
  return {
    summary,
    *jsonChunks() {
      const text = JSON.stringify({ ...withStacks(summary, PLACEHOLDER) }, null, 2);
      // A top-level key is the only line indented by exactly two spaces: the marker cannot match elsewhere.
      const marker = `\n  "stacks": ${JSON.stringify(PLACEHOLDER)}`;
      const at = text.indexOf(marker);
      if (at < 0) throw new Error('plan source: the stacks placeholder is missing from the report JSON');
      yield `${text.slice(0, at)}\n  "stacks": `;
      if (!stackTexts.length) yield '[]';
      else {
        // The stacks' bytes as the shards wrote them, gathered into CHUNK-sized writes.
        const comma = Buffer.from(',\n');
        let parts: Uint8Array[] = [Buffer.from('[\n')];
        let size = 0;
        for (const [i, t] of stackTexts.entries()) {
          if (i) parts.push(comma);
          parts.push(t);
          size += t.length;
          if (size >= CHUNK) {
            yield Buffer.concat(parts);
            parts = [];
            size = 0;
          }
        }
        parts.push(Buffer.from('\n  ]'));
        yield Buffer.concat(parts);
      }
      yield `${text.slice(at + marker.length)}\n`;
    },
    report() {
      const decoder = new TextDecoder();
      parsed ??= withStacks(
        summary,
        stackTexts.map((t) => JSON.parse(decoder.decode(t)) as StackPlan),
      );
      return parsed;
    },
  };
}

/** The summary with its stacks put back in place (the key order of a report: stacks after databases). */
function withStacks<S>(summary: Omit<PlanReport, 'stacks'>, stacks: S): PlanReport {
  const { schemaVersion, toolVersion, base, databases, ...rest } = summary;
  return { schemaVersion, toolVersion, base, databases, stacks, ...rest } as unknown as PlanReport;
}
