// The naive baseline the benchmark compares dbaas against: a plain cdktf app, written the way the
// cdktf docs show it. It imports both provider packages from their roots (every resource class of
// both clouds, thousands of modules), loads and resolves the repo with dbaas's own loader, puts one
// TerraformStack per database into one App with dbaas's own stack builders and state backend, and
// calls app.synth(). No guardrails, no plan, no cache, no laziness: the same stacks, built plainly.
//
//   node bench/baseline.mjs --dir <infra repo> --out <output folder>
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as aws from '@cdktf/provider-aws';
import * as google from '@cdktf/provider-google';
import { App, TerraformStack } from 'cdktf';
import { resolveDir } from '../dist/pipeline.js';
import { addBackend, backendFor } from '../dist/synth/backend.js';
import { buildAwsStack } from '../dist/synth/aws/index.js';
import { buildGcpStack } from '../dist/synth/gcp/index.js';
import { TOOL_VERSION } from '../dist/version.js';

const { values } = parseArgs({ options: { dir: { type: 'string', default: '.' }, out: { type: 'string', default: 'cdktf.out' } } });

const resolution = resolveDir(path.resolve(values.dir));
if (!resolution.ok) {
  process.stderr.write(`baseline: the repo does not resolve (${resolution.problems.length} problems)\n`);
  process.exit(2);
}
const { config, entries } = resolution.repo;
const builders = { aws: buildAwsStack, gcp: buildGcpStack };
const ctx = { config, toolVersion: TOOL_VERSION };

const app = new App({ outdir: path.resolve(values.out) });
for (const { db } of entries) {
  const stack = new TerraformStack(app, db.name);
  addBackend(stack, backendFor(db, config));
  builders[db.cloud](stack, db, ctx);
}
app.synth();

// The namespaces are the point of this file (the root import); say how much they brought in.
const classes = Object.keys(aws).length + Object.keys(google).length;
process.stdout.write(`baseline: ${entries.length} stacks synthesized to ${values.out} (${classes} provider namespaces loaded)\n`);
