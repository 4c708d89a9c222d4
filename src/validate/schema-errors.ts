// Turns ajv's errors into Problems a developer can act on: the field, the bad value, the expectation.
import type { AnySchemaObject, ErrorObject } from 'ajv';
import { problem, showValue, type Problem } from '../errors.js';
import type { FieldPath, SourceDocument } from '../load/yaml.js';
import { didYouMean } from '../suggest.js';
import { knownProperties, type SchemaSet } from './schemas.js';
import { ERR } from '../error-codes.js';

export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function fieldName(path: FieldPath): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

// Keywords whose failure is already explained by a more specific error underneath.
const NOISE = new Set(['if', 'then', 'else', 'allOf', '$ref']);

export function schemaErrorsToProblems(set: SchemaSet, errors: readonly ErrorObject[], doc: SourceDocument): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  // An anyOf failure says "at least one of ..."; its branches' own errors would read as each being required.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  for (const error of errors) {
    if (NOISE.has(error.keyword)) continue;
    if (anyOfPaths.some((path) => error.schemaPath.startsWith(path))) continue;
    const p = toProblem(set, error, doc);
    const key = `${p.field}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

function describe(schema: AnySchemaObject | undefined): string | undefined {
  const text = schema?.description as string | undefined;
  return text?.split('. ')[0]?.replace(/\.$/, '');
}

function toProblem(set: SchemaSet, error: ErrorObject, doc: SourceDocument): Problem {
  const path = pointerToPath(error.instancePath);
  const parent = error.parentSchema;
  const value = error.data;
  const at = (p: FieldPath, key = false) => doc.locate(p, { key });
  const base = { location: at(path), field: fieldName(path) || '(document)', value };

  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(error.params.additionalProperty ?? error.params.unevaluatedProperty);
      const fieldPath = [...path, name];
      const candidates = parent ? knownProperties(set, parent, set.homeOf.get(parent) ?? '') : [];
      return problem({
        code: ERR.UNKNOWN_FIELD,
        message: `unknown field "${name}"; expected one of ${candidates.join(', ') || '(no fields)'}`,
        location: at(fieldPath, true),
        field: fieldName(fieldPath),
        suggestion: didYouMean(name, candidates),
      });
    }
    case 'required': {
      const name = String(error.params.missingProperty);
      const fieldPath = [...path, name];
      return problem({
        code: ERR.MISSING_FIELD,
        message: `missing required field "${name}"`,
        location: at(path, true),
        field: fieldName(fieldPath),
        expected: name,
      });
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      return problem({
        ...base,
        code: ERR.INVALID_VALUE,
        message: `got ${showValue(value)}; expected one of ${allowed.join(', ')}`,
        expected: allowed.join(' | '),
        suggestion: typeof value === 'string' ? didYouMean(value, allowed) : undefined,
      });
    }
    case 'const':
      return problem({
        ...base,
        code: ERR.INVALID_VALUE,
        message: `got ${showValue(value)}; expected ${showValue(error.params.allowedValue)}`,
        suggestion: typeof value === 'string' ? didYouMean(value, [String(error.params.allowedValue)]) : undefined,
      });
    case 'type':
      return problem({ ...base, code: ERR.WRONG_TYPE, message: `got ${showValue(value)}; expected ${error.params.type}` });
    case 'pattern':
      return problem({
        ...base,
        code: ERR.INVALID_FORMAT,
        message: `got ${showValue(value)}; expected ${describe(parent) ?? `a value matching ${error.params.pattern}`}`,
      });
    case 'anyOf': {
      const branches = ((error.schema as AnySchemaObject[] | undefined) ?? []).flatMap((b) => (b.required as string[] | undefined) ?? []);
      return problem({
        ...base,
        code: ERR.MISSING_FIELD,
        message: branches.length ? `expected at least one of ${branches.join(', ')}` : 'does not match any allowed shape',
      });
    }
    case 'minProperties': {
      const names = parent ? knownProperties(set, parent, set.homeOf.get(parent) ?? '') : [];
      return problem({ ...base, code: ERR.MISSING_FIELD, message: `is empty; expected at least one of ${names.join(', ')}` });
    }
    case 'uniqueItems':
      return problem({
        ...base,
        code: ERR.DUPLICATE_ITEM,
        message: `items ${error.params.j} and ${error.params.i} are the same; expected unique items`,
      });
    default:
      return problem({ ...base, code: ERR.OUT_OF_RANGE, message: `got ${showValue(value)}; expected ${bound(error)}` });
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The bound a value missed, in words (ajv's own phrases read "must NOT have fewer than 9 characters"). */
export function bound(error: Pick<ErrorObject, 'keyword' | 'params' | 'message'>): string {
  const limit = Number(error.params.limit);
  switch (error.keyword) {
    case 'minLength':
      return `at least ${plural(limit, 'character')}`;
    case 'maxLength':
      return `at most ${plural(limit, 'character')}`;
    case 'minimum':
      return `${limit} or more`;
    case 'maximum':
      return `${limit} or less`;
    case 'exclusiveMinimum':
      return `more than ${limit}`;
    case 'exclusiveMaximum':
      return `less than ${limit}`;
    case 'minItems':
      return `at least ${plural(limit, 'item')}`;
    case 'maxItems':
      return `at most ${plural(limit, 'item')}`;
    case 'minProperties':
      return `at least ${plural(limit, 'field')}`;
    case 'maxProperties':
      return `at most ${plural(limit, 'field')}`;
    case 'multipleOf':
      return `a multiple of ${String(error.params.multipleOf)}`;
    case 'format':
      return `a valid ${String(error.params.format)}`;
    case 'dependentRequired':
    case 'dependencies':
      // Fields that only work together (slack.workspaceId and channelId): name the one to add.
      return `property ${String(error.params.missingProperty)} when property ${String(error.params.property)} is present`;
    default:
      return `a valid value (${error.keyword})`;
  }
}
