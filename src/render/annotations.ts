// GitHub Actions workflow commands: one ::error/::warning line per problem, shown inline on the PR.
import type { Problem } from '../errors.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(p: Pick<Problem, 'severity' | 'code' | 'message' | 'location' | 'field'>, level = p.severity): string {
  const props = [
    p.location && `file=${escapeProperty(p.location.file)}`,
    p.location && `line=${p.location.line}`,
    p.location && `col=${p.location.column}`,
    `title=${escapeProperty(p.code)}`,
  ].filter(Boolean);
  const field = p.field ? `${p.field}: ` : '';
  return `::${level === 'warning' ? 'warning' : 'error'} ${props.join(',')}::${escapeData(field + p.message)}`;
}
