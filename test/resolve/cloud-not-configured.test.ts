// A database on a cloud the config does not carry says exactly which blocks to add; the scaffolded
// config carries the GCP blocks commented out, with what each field means.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffold } from '../../src/scaffold/index.js';
import { resolveDir } from '../../src/pipeline.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('a cloud the config does not carry', () => {
  it('names the clouds.gcp and state.gcp blocks to add, which the scaffolded config shows commented out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-gcp-'));
    dirs.push(dir);
    scaffold({ dir });
    const config = readFileSync(join(dir, 'dbaas.config.yaml'), 'utf8');
    expect(config).toMatch(/^ {2}# gcp:$/m);
    expect(config).toMatch(/^ {2}# gcp: \{ bucket: /m);
    expect(config).toMatch(/# {7}network: projects\/.*# VPC for private IP/);
    const spec = join(dir, 'stacks', 'example-team', 'example.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('  cloud: aws', '  cloud: gcp').replace('region: eu-west-1', 'region: europe-west1'));
    const result = resolveDir(dir);
    expect(result.ok).toBe(false);
    const problem = (result.ok ? [] : result.problems).find((p) => p.code === 'DBAAS_CLOUD_NOT_CONFIGURED');
    expect(problem?.message).toBe(
      'cloud "gcp" is not in dbaas.config.yaml; expected one of aws, or add clouds.gcp (projects.<environment>: projectId, regions, network; sizes) and state.gcp (bucket) to dbaas.config.yaml',
    );
  });
});
