// `plan --list` for a terminal: one line per stack, the problems, and the shard suggestion.
import type { PlanListJson } from '../plan/types.js';

export function renderPlanListText(list: PlanListJson): string {
  const lines = list.stacks.map(
    (s) => `${s.name} (${s.cloud}, ${s.environment}): ${s.action}, ${s.resources} resource(s), about ${(s.cost / 10).toFixed(1)} s of terraform`,
  );
  for (const p of list.problems)
    lines.push(`${p.file ? `${p.file}:${p.line}:${p.column}: ` : ''}${p.severity} ${p.code}${p.field ? ` ${p.field}:` : ''} ${p.message}`);
  lines.push(
    `${list.stacks.length} stack(s), about ${Math.ceil(list.estimatedSeconds / 60)} min of terraform on ` +
      `one runner; suggested shards for ${list.targetMinutes} min each: ${list.suggestedShards}`,
  );
  return `${lines.join('\n')}\n`;
}
