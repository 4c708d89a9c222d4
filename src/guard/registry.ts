// Loads guardrails: the baseline pack shipped in the dbaas package plus the infra repo's policies/.
// Fail closed: a file that does not parse, validate or compile is a Problem naming the file, and the
// caller stops (exit 2); it never crashes and never drops a guardrail silently.
import { existsSync, realpathSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { problem, formatLocation, showValue, type Problem, type SourceLocation } from '../errors.js';
import { findYamlFiles, readSpecFile, type TextFile } from '../load/files.js';
import { parseYaml, type FieldPath, type SourceDocument } from '../load/yaml.js';
import { CAPABILITIES, capabilityTable } from '../profiles/capabilities.js';
import type { DbaasConfig, Guardrail } from '../spec/generated.js';
import { didYouMean } from '../suggest.js';
import { fieldName, schemaErrorsToProblems } from '../validate/schema-errors.js';
import { isValid, loadSchemas } from '../validate/schemas.js';
import type { Spec } from '../validate/index.js';
import { visibleLength } from '../validate/visible.js';
import { addGuardKeywords } from './keywords.js';
import { compileLinear, linearRegExp, schemaPatterns } from './regex.js';
import type { CompiledGuardrail, GuardrailOverride, GuardrailSource } from './types.js';
import { ERR } from '../error-codes.js';
import { packageDir } from '../paths.js';
import { isObject } from '../json.js';

/** The baseline pack: policies/ in the dbaas package. */
export const BASELINE_DIR = packageDir('policies');
export const POLICIES_DIR = 'policies';

/**
 * Resolved-database fields a fix may write. The rest come from dbaas.config.yaml or from other specs
 * (placement, allowed, requiredLabels, instanceClass, channels), so no Database edit can change them.
 */
export const FIXABLE_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'team',
  'labels',
  'environment',
  'cloud',
  'region',
  'engine',
  'version',
  'size',
  'storageGb',
  'highAvailability',
  'deletionProtection',
  'publiclyAccessible',
  'storageEncrypted',
  'requireSsl',
  'maintenanceWindow',
  'objectives',
  'databases',
  'users',
  'table',
  'backup',
  'notify',
  'waivers',
]);

export interface GuardrailRegistry {
  /** Sorted by id. */
  readonly guardrails: readonly CompiledGuardrail[];
  readonly byId: ReadonlyMap<string, CompiledGuardrail>;
  readonly problems: readonly Problem[];
}

/** A fresh ajv for guardrail asserts: strict (unknown keywords and formats are compile errors), no $data, no remote refs. */
export function createGuardAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    // Guardrail authors write "properties" without "type: object" all the time; the tests catch
    // a keyword applied to the wrong type, strictTypes would only make every assert noisier.
    strictTypes: false,
    strictRequired: false,
    allErrors: false,
    verbose: true,
    allowUnionTypes: true,
    // Linear-time regexes: a guardrail's pattern cannot hang validation (see regex.ts).
    code: { regExp: linearRegExp },
    // Asserts are checked against the meta-schema where they are compiled (compileDocument); the dbaas keywords' own
    // value checks (their metaSchema) still run on every compile.
    validateSchema: false,
  });
  addGuardKeywords(ajv);
  return ajv;
}

/**
 * Engines and capabilities a guardrail names that no engine profile defines: in match (a rule for an
 * engine that does not exist would never run) and in its test cases (a case for one would test
 * nothing). Read from the profiles, the truth the schema's enums are made from, so this holds even if
 * those enums drift; runs on the raw document, before the schema check, to give the specific error.
 */
function unknownNames(doc: SourceDocument): Problem[] {
  const engines = [...new Set(capabilityTable().map((row) => row.engine))];
  const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);
  const problems: Problem[] = [];
  const report = (path: FieldPath, value: string, kind: 'engine' | 'capability', known: readonly string[], fix: string) =>
    problems.push(
      problem({
        code: kind === 'engine' ? ERR.GUARDRAIL_UNKNOWN_ENGINE : ERR.GUARDRAIL_UNKNOWN_CAPABILITY,
        message: `names ${kind} ${showValue(value)}, which no engine profile defines; expected one of ${known.join(', ')}; ${fix}`,
        location: doc.locate(path),
        field: fieldName(path),
        value,
        suggestion: didYouMean(value, known),
      }),
    );
  const listed = (key: 'engine' | 'capability') => {
    const list = at(doc.value, 'spec', 'match', key);
    return Array.isArray(list) ? list.map((value, i) => ({ value: value as unknown, path: ['spec', 'match', key, i] as FieldPath })) : [];
  };
  for (const { value, path } of listed('engine')) {
    if (typeof value === 'string' && !engines.includes(value))
      report(path, value, 'engine', engines, 'fix the name, or match a capability instead (GUARDRAILS.md lists which engines have which)');
  }
  for (const { value, path } of listed('capability')) {
    if (typeof value === 'string' && !(CAPABILITIES as readonly string[]).includes(value))
      report(path, value, 'capability', CAPABILITIES, 'fix the name (GUARDRAILS.md lists the capabilities)');
  }
  for (const kind of ['pass', 'fail'] as const) {
    const cases = at(doc.value, 'spec', 'tests', kind);
    if (!Array.isArray(cases)) continue;
    cases.forEach((testCase: unknown, i) => {
      const engine = at(testCase, 'engine');
      if (typeof engine === 'string' && !engines.includes(engine))
        report(['spec', 'tests', kind, i, 'engine'], engine, 'engine', engines, "fix the test case's engine");
    });
  }
  return problems;
}

/** Compiles one parsed guardrail file, or explains why it cannot be used. */
function compileDocument(ajv: Ajv2020, doc: SourceDocument, source: GuardrailSource): { guardrail?: CompiledGuardrail; problems: Problem[] } {
  const names = unknownNames(doc);
  if (!isValid('Guardrail', doc.value)) {
    const set = loadSchemas();
    const validateShape = set.validator('Guardrail');
    validateShape(doc.value);
    // The schema's enum error for a name reported above would say the same thing less helpfully.
    const named = new Set(names.map((p) => p.field));
    const problems = [...names, ...schemaErrorsToProblems(set, validateShape.errors ?? [], doc).filter((p) => !named.has(p.field))];
    return { problems: problems.length ? problems : [problem({ code: ERR.INVALID_GUARDRAIL, message: 'is not a valid Guardrail', location: doc.locate([]) })] };
  }
  const value = doc.value as Guardrail;
  const problems: Problem[] = [...names];
  const id = value.metadata.id;
  const expectedId = basename(doc.file).replace(/\.ya?ml$/i, '');
  if (id !== expectedId) {
    problems.push(
      problem({
        code: ERR.GUARDRAIL_ID_MISMATCH,
        message: `id ${JSON.stringify(id)} differs from the file name; expected ${JSON.stringify(expectedId)} (or rename the file to ${id}.yaml)`,
        location: doc.locate(['metadata', 'id']),
        field: 'metadata.id',
        value: id,
      }),
    );
  }
  const unfixable = Object.keys(value.spec.fix ?? {}).filter((k) => !FIXABLE_FIELDS.has(k));
  for (const key of unfixable) {
    problems.push(
      problem({
        code: ERR.GUARDRAIL_FIX_NOT_WRITABLE,
        message:
          `fix writes "${key}", which comes from dbaas.config.yaml or another spec; expected only fields a ` +
          `Database can set (${[...FIXABLE_FIELDS].join(', ')})`,
        location: doc.locate(['spec', 'fix', key], { key: true }),
        field: `spec.fix.${key}`,
      }),
    );
  }
  for (const { pattern, path, key } of schemaPatterns(value.spec.assert)) {
    const compiled = compileLinear(pattern);
    if (!('error' in compiled)) continue;
    problems.push(
      problem({
        code: ERR.GUARDRAIL_UNSAFE_PATTERN,
        message:
          `pattern ${JSON.stringify(pattern)} cannot run in linear time (${compiled.error}); expected a pattern without ` +
          'backreferences or lookaround (RE2 syntax, https://github.com/google/re2/wiki/Syntax)',
        location: doc.locate(['spec', 'assert', ...path], { key }),
        field: ['spec', 'assert', ...path].join('.'),
        value: pattern,
      }),
    );
  }
  if (problems.length) return { problems };
  let validate;
  try {
    // The shipped pack is checked against the JSON Schema meta-schema by its tests (test/guard/meta.test.ts), a repo's own
    // guardrails on every load, where compiling the meta-schema is most of createGuardAjv's time (bench/README.md, "Measured choices").
    if (source === 'repo' && !ajv.validateSchema(value.spec.assert)) throw new Error(`schema is invalid: ${ajv.errorsText(ajv.errors)}`);
    validate = ajv.compile(value.spec.assert);
  } catch (error) {
    problems.push(
      problem({
        code: ERR.GUARDRAIL_DOES_NOT_COMPILE,
        message:
          `assert does not compile: ${(error as Error).message.split('\n')[0]}; expected a JSON Schema using ` +
          `standard keywords and the dbaas keywords in GUARDRAILS.md`,
        location: doc.locate(['spec', 'assert'], { key: true }),
        field: 'spec.assert',
      }),
    );
  }
  if (!validate || problems.length) return { problems };
  const caseLocations = (kind: 'pass' | 'fail') => value.spec.tests[kind].map((_, i) => doc.locate(['spec', 'tests', kind, i]));
  return {
    problems,
    guardrail: {
      id,
      severity: value.metadata.severity,
      description: value.spec.description,
      references: value.spec.references,
      match: value.spec.match ?? {},
      assert: value.spec.assert,
      remediation: value.spec.remediation,
      ...(value.spec.fix ? { fix: value.spec.fix } : {}),
      tests: { pass: value.spec.tests.pass, fail: value.spec.tests.fail },
      source,
      file: doc.file,
      location: doc.locate(['metadata', 'id']),
      testLocations: { pass: caseLocations('pass'), fail: caseLocations('fail') },
      validate,
    },
  };
}

/** Parses and compiles guardrail files: exactly one Guardrail document per file. */
export function compileGuardrailFiles(
  ajv: Ajv2020,
  files: readonly TextFile[],
  source: GuardrailSource,
): { guardrails: CompiledGuardrail[]; problems: Problem[] } {
  const guardrails: CompiledGuardrail[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const parsed = parseYaml(file);
    problems.push(...parsed.problems);
    if (parsed.problems.length) continue;
    if (parsed.documents.length !== 1) {
      problems.push(
        problem({
          code: ERR.GUARDRAIL_FILE,
          message: `has ${parsed.documents.length} YAML documents; expected exactly one Guardrail per file, named <id>.yaml`,
          location: parsed.documents[1]?.locate([]) ?? { file: file.file, line: 1, column: 1 },
        }),
      );
      continue;
    }
    const doc = parsed.documents[0]!;
    const kind = isObject(doc.value) ? doc.value.kind : undefined;
    if (kind !== 'Guardrail') {
      problems.push(
        problem({
          code: ERR.UNKNOWN_KIND,
          message:
            `got ${JSON.stringify(kind ?? null)}; expected kind Guardrail in ${POLICIES_DIR}/ (Database, ` +
            `BackupPolicy and NotificationChannel belong in stacks/)`,
          location: doc.locate(['kind']),
          field: 'kind',
        }),
      );
      continue;
    }
    const compiled = compileDocument(ajv, doc, source);
    problems.push(...compiled.problems);
    if (compiled.guardrail) guardrails.push(compiled.guardrail);
  }
  return { guardrails, problems };
}

/**
 * Reads every guardrail file under `dir`, naming files relative to `root` when `dir` is inside it and
 * by absolute path otherwise (the baseline pack in node_modules/dbaas, or a checkout elsewhere).
 */
export function readGuardrailFiles(root: string, dir: string): { files: TextFile[]; problems: Problem[] } {
  if (!existsSync(dir)) return { files: [], problems: [] };
  const inRepo = existsSync(root) && !relative(root, dir).startsWith('..') && !isAbsolute(relative(root, dir));
  const walkRoot = inRepo ? root : dir;
  const found = findYamlFiles(walkRoot, dir);
  const problems: Problem[] = [...found.problems];
  const files: TextFile[] = [];
  for (const path of found.files) {
    const read = readSpecFile(walkRoot, path);
    if ('problem' in read) problems.push(read.problem);
    else files.push(inRepo ? read.file : { ...read.file, file: path.split(sep).join('/') });
  }
  return { files, problems };
}

const samePath = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

export interface RegistryOptions {
  /** The infra repo root; baseline file names are shown relative to it. */
  readonly root: string;
  /** The repo's own policy files (from readRepoFiles), or undefined to read root/policies. */
  readonly repoFiles?: readonly TextFile[];
  /** The baseline pack folder. Default: BASELINE_DIR. */
  readonly baselineDir?: string;
}

const baselineCache = new Map<string, { files: TextFile[]; problems: Problem[] }>();

/**
 * The baseline pack plus the repo's guardrails, compiled with one ajv instance. When the repo is the
 * dbaas checkout itself, its policies/ is the baseline and is loaded once.
 */
export function loadRegistry(options: RegistryOptions): GuardrailRegistry {
  const baselineDir = options.baselineDir ?? BASELINE_DIR;
  const repoPolicies = join(options.root, POLICIES_DIR);
  const repoIsBaseline = samePath(repoPolicies, baselineDir);
  const cacheKey = `${options.root}\u0000${baselineDir}`;
  let baseline = baselineCache.get(cacheKey);
  if (!baseline) {
    baseline = readGuardrailFiles(options.root, baselineDir);
    baselineCache.set(cacheKey, baseline);
  }
  const repo = repoIsBaseline
    ? { files: [], problems: [] }
    : options.repoFiles
      ? { files: [...options.repoFiles], problems: [] }
      : readGuardrailFiles(options.root, repoPolicies);
  const ajv = createGuardAjv();
  const base = compileGuardrailFiles(ajv, baseline.files, 'baseline');
  const own = compileGuardrailFiles(ajv, repo.files, 'repo');
  const problems: Problem[] = [...baseline.problems, ...repo.problems, ...base.problems, ...own.problems];

  const byId = new Map<string, CompiledGuardrail>();
  for (const g of [...base.guardrails, ...own.guardrails]) {
    const earlier = byId.get(g.id);
    if (earlier) {
      const reusesBaseline = earlier.source === 'baseline' && g.source === 'repo';
      problems.push(
        problem({
          code: ERR.DUPLICATE_GUARDRAIL,
          message: reusesBaseline
            ? `guardrail "${g.id}" is a baseline guardrail (${formatLocation(earlier.location)}); expected a new ` +
              `id. To turn a baseline guardrail off or change its severity, use guardrails.overrides.${g.id} in ` +
              `dbaas.config.yaml with a reason`
            : `guardrail "${g.id}" is also defined at ${formatLocation(earlier.location)}; expected ids unique across policies`,
          location: g.location,
          field: 'metadata.id',
          value: g.id,
        }),
      );
      continue;
    }
    byId.set(g.id, g);
  }
  const guardrails = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { guardrails, byId, problems };
}

/** The schema's minLength for guardrails.overrides.*.reason, counted in visible characters. */
export const OVERRIDE_MIN_REASON = 10;

/** The config's guardrails.overrides, checked against the registry (unknown ids are problems). */
export function readOverrides(config: Spec<DbaasConfig> | undefined, registry: GuardrailRegistry): { overrides: GuardrailOverride[]; problems: Problem[] } {
  const entries = Object.entries(config?.value.guardrails?.overrides ?? {});
  const overrides: GuardrailOverride[] = [];
  const problems: Problem[] = [];
  for (const [id, override] of entries) {
    if (!override) continue;
    const path = ['guardrails', 'overrides', id];
    const location: SourceLocation = config!.doc.locate(path, { key: true });
    if (!registry.byId.has(id)) {
      problems.push(
        problem({
          code: ERR.UNKNOWN_GUARDRAIL,
          message: `override names guardrail "${id}", which does not exist; expected one of the ids in dbaas policy list`,
          location,
          field: `guardrails.overrides.${id}`,
          value: id,
          suggestion: didYouMean(id, registry.byId.keys()),
        }),
      );
      continue;
    }
    const visible = visibleLength(override.reason);
    if (visible < OVERRIDE_MIN_REASON) {
      problems.push(
        problem({
          code: ERR.REASON_TOO_SHORT,
          message:
            `override reason ${showValue(override.reason)} is ${visible} visible characters; expected at least ` +
            `${OVERRIDE_MIN_REASON} saying why (spaces and invisible characters do not count)`,
          location: config!.doc.locate([...path, 'reason']),
          field: `guardrails.overrides.${id}.reason`,
          value: override.reason,
        }),
      );
      continue;
    }
    overrides.push({ guardrail: id, ...(override.severity ? { severity: override.severity } : {}), reason: override.reason, location });
  }
  return { overrides, problems };
}
