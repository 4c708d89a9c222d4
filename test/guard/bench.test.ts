// Evaluation time of the baseline pack over 1,000 resolved databases (reported, with a loose bound).
import { describe, expect, it } from 'vitest';
import { guard } from '../../src/guard/engine.js';
import type { ResolvedEntry } from '../../src/resolve/index.js';
import { guardExample, TODAY } from './helpers.js';

const base = guardExample();

function entries(count: number, schedule: (i: number) => string | undefined): ResolvedEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const entry = base.repo.entries[i % base.repo.entries.length]!;
    const s = schedule(i);
    return { ...entry, db: { ...entry.db, name: `${entry.db.name}-${i}`, backup: { ...entry.db.backup, ...(s ? { schedule: s } : {}) } } };
  });
}

function time(list: ResolvedEntry[]): { ms: number; findings: number } {
  const start = performance.now();
  const result = guard(list, base.registry, { today: TODAY.DBAAS_NOW });
  return { ms: performance.now() - start, findings: result.findings.length };
}

describe('guard performance', () => {
  it('evaluates 1,000 databases against the pack quickly', () => {
    const guardrails = base.registry.guardrails.length;
    const repeated = time(entries(1000, () => undefined));
    // Worst case for the schedule cache: every database has its own schedule (and timezone twice).
    const distinct = time(entries(1000, (i) => `${i % 60} ${Math.floor(i / 60) % 24} * * *`));
    const again = time(entries(1000, () => undefined));
    console.log(
      `guard: 1,000 databases × ${guardrails} guardrails: ${repeated.ms.toFixed(0)} ms (example schedules), ` +
        `${distinct.ms.toFixed(0)} ms (1,000 distinct schedules, cold), ${again.ms.toFixed(0)} ms (warm); ${repeated.findings} findings`,
    );
    expect(repeated.findings).toBeGreaterThan(0);
    expect(repeated.ms).toBeLessThan(5_000);
    expect(distinct.ms).toBeLessThan(30_000);
  });
});
