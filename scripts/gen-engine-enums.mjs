// Generates the schemas' engine lists from the engine profiles (src/profiles/), their one source:
// database.schema.json $defs/Engine and each cloud's engine enum (the allOf if cloud/then engine
// branches), config.schema.json $defs/SizeMap propertyNames, and common.schema.json's region
// definitions from the cloud profiles. Run gen-types.mjs after it.
// Usage: npm run build && node scripts/gen-engine-enums.mjs [--check]   (--check exits 1 when stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { CLOUDS, ENGINES, enginesOn } from '../dist/profiles/index.js';

const all = ENGINES.map((e) => e.name);
const stale = [];

const databaseUrl = new URL('../schemas/database.schema.json', import.meta.url);
const databaseText = readFileSync(databaseUrl, 'utf8');
const database = JSON.parse(databaseText);
database.$defs.Engine.enum = all;
const branches = database.$defs.DatabaseSpec.allOf ?? [];
for (const cloud of Object.keys(CLOUDS)) {
  const branch = branches.find((b) => b.if?.properties?.cloud?.const === cloud && b.then?.properties?.engine);
  if (!branch) throw new Error(`database.schema.json has no "if cloud: ${cloud} then engine" branch`);
  branch.then.properties.engine.enum = enginesOn(cloud);
}
const databaseNext = `${JSON.stringify(database, null, 2)}\n`;
if (databaseNext !== databaseText) stale.push(['schemas/database.schema.json', databaseUrl, databaseNext]);

// config.schema.json is hand-formatted: only its SizeMap line is rewritten.
const configUrl = new URL('../schemas/config.schema.json', import.meta.url);
const configText = readFileSync(configUrl, 'utf8');
const sizeMapLine = /("SizeMap": \{[^]*?"propertyNames": \{ "enum": )\[[^\]]*\]/;
if (!sizeMapLine.test(configText)) throw new Error('config.schema.json has no SizeMap propertyNames enum');
const configNext = configText.replace(sizeMapLine, (_, head) => `${head}[${all.map((e) => JSON.stringify(e)).join(', ')}]`);
if (configNext !== configText) stale.push(['schemas/config.schema.json', configUrl, configNext]);

// common.schema.json is hand-formatted too: each cloud's region definition is one line, rewritten
// from the cloud profile's region format.
const commonUrl = new URL('../schemas/common.schema.json', import.meta.url);
const commonText = readFileSync(commonUrl, 'utf8');
let commonNext = commonText;
for (const cloud of Object.values(CLOUDS)) {
  const { definition, pattern, description } = cloud.region;
  const line = new RegExp(`("${definition}": )\\{[^\\n]*\\}`);
  if (!line.test(commonNext)) throw new Error(`common.schema.json has no one-line ${definition} definition`);
  const body = `{ "type": "string", "description": ${JSON.stringify(description)}, "pattern": ${JSON.stringify(pattern)} }`;
  commonNext = commonNext.replace(line, (_, head) => `${head}${body}`);
}
if (commonNext !== commonText) stale.push(['schemas/common.schema.json', commonUrl, commonNext]);

if (process.argv.includes('--check')) {
  if (stale.length) {
    const names = stale.map(([name]) => name).join(', ');
    console.error(
      `${names}: engine lists or region formats differ from src/profiles: run npm run build && node scripts/gen-engine-enums.mjs && node scripts/gen-types.mjs`,
    );
    process.exit(1);
  }
} else {
  for (const [, url, text] of stale) writeFileSync(url, text);
}
