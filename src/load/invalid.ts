// How many Database documents a set of problems makes invalid: a document is invalid when an error
// points into it (between its start and the next document of its file). Read only on the failure
// path, so valid runs do not parse twice.
import type { Problem } from '../errors.js';
import { parseRepoFiles, readRepoFiles } from './repo.js';

export function invalidDatabases(dir: string, problems: readonly Problem[]): { invalid: number; databases: number } {
  const errors = problems.filter((p) => p.severity === 'error');
  const docs = parseRepoFiles(readRepoFiles(dir)).specs;
  const starts = new Map<string, number[]>();
  for (const d of docs) starts.set(d.file, [...(starts.get(d.file) ?? []), d.locate([]).line]);
  const databases = docs.filter((d) => (d.value as { kind?: unknown } | null)?.kind === 'Database');
  const invalid = databases.filter((d) => {
    const lines = starts.get(d.file) ?? [];
    const from = d.locate([]).line;
    const to = Math.min(...lines.filter((l) => l > from), Number.POSITIVE_INFINITY);
    return errors.some((p) => p.location?.file === d.file && p.location.line >= from && p.location.line < to);
  }).length;
  return { invalid, databases: databases.length };
}
