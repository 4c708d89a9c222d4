// Generates the JSON Schemas of the --json / --format json contracts from their TypeScript types,
// so the documented shape and the code cannot drift. Usage: node scripts/gen-output-schemas.mjs [--check]
import { createGenerator } from 'ts-json-schema-generator';
import { writeOrCheck } from './generated-file.mjs';

const root = new URL('../', import.meta.url);
const contracts = [
  { type: 'PlanReport', path: 'src/plan/types.ts', out: 'plan-report' },
  { type: 'PlanListJson', path: 'src/plan/types.ts', out: 'plan-list' },
  { type: 'ValidateJson', path: 'src/guard/outcome.ts', out: 'validate' },
  { type: 'ApplyReport', path: 'src/apply/index.ts', out: 'apply-report' },
  { type: 'EnvironmentList', path: 'src/apply/index.ts', out: 'apply-environments' },
  { type: 'InitJson', path: 'src/commands/init.ts', out: 'init' },
  { type: 'SynthJson', path: 'src/synth/run.ts', out: 'synth' },
  { type: 'DriftReport', path: 'src/drift/index.ts', out: 'drift-report' },
  { type: 'NewJson', path: 'src/scaffold/new.ts', out: 'new' },
  { type: 'RestoreJson', path: 'src/scaffold/restore.ts', out: 'restore' },
  { type: 'ReportJson', path: 'src/report/types.ts', out: 'report' },
];
let stale = false;
for (const c of contracts) {
  const schema = createGenerator({
    path: new URL(c.path, root).pathname,
    tsconfig: new URL('tsconfig.json', root).pathname,
    type: c.type,
    skipTypeCheck: true,
    additionalProperties: false,
  }).createSchema(c.type);
  schema.$id = `https://dbaas.dev/schemas/v1/output/${c.out}.schema.json`;
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  const target = new URL(`schemas/output/${c.out}.schema.json`, root);
  if (!writeOrCheck(target, text, `schemas/output/${c.out}.schema.json is stale: run node scripts/gen-output-schemas.mjs`)) stale = true;
}
process.exit(stale ? 1 : 0);
