// The escape boundary without terraform: escape.ts on its own, and stackConfig applying it to every
// string and key while cdktf's references stay live. escape-terraform.test.ts runs the real plan.
import fc from 'fast-check';
import { hostileString, readTemplate } from './escape-helpers.js';
import { TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { stackConfig } from '../../src/synth/cdktf.js';
import { escapeTemplate, joinTemplate } from '../../src/synth/escape.js';
import { CDKTF_VERSION, loadBuilder, SynthError, synthStack } from '../../src/synth/index.js';
import { context, variant } from './helpers.js';

describe('escapeTemplate', () => {
  it('escapes the two template openers and nothing else', () => {
    expect(escapeTemplate('a ${b} %{c} $d %e {f} $${g} %%{h}')).toBe('a $${b} %%{c} $d %e {f} $$${g} %%%{h}');
    expect(escapeTemplate('no braces at all $ %')).toBe('no braces at all $ %');
  });

  it('reads back as the same text, for any text', () => {
    fc.assert(
      fc.property(hostileString, (s) => readTemplate(escapeTemplate(s)) === s),
      { numRuns: 2000 },
    );
  });
});

describe('joinTemplate', () => {
  it('keeps a lone expression as it is (any type) and escapes literals around expressions', () => {
    expect(joinTemplate([{ expression: 42 }])).toBe(42);
    expect(joinTemplate([{ literal: 'a${b}-' }, { expression: '${aws_x.y.id}' }, { literal: '%{z}' }])).toBe('a$${b}-${aws_x.y.id}%%{z}');
  });

  it('writes a literal ending in $ or % before an expression as an interpolation of that character', () => {
    expect(joinTemplate([{ literal: 'cost$' }, { expression: '${aws_x.y.id}' }])).toBe('cost${"$"}${aws_x.y.id}');
    expect(joinTemplate([{ literal: '100%' }, { expression: '{not-an-expression' }])).toBe('100${"%"}{not-an-expression');
    expect(joinTemplate([{ literal: 'a$%$$' }, { expression: '${aws_x.y.id}' }])).toBe('a${"$%$$"}${aws_x.y.id}');
    fc.assert(
      fc.property(
        hostileString,
        hostileString,
        (a, b) => readTemplate(String(joinTemplate([{ literal: a }, { expression: '${ref.x}' }, { literal: b }])), { 'ref.x': '<REF>' }) === `${a}<REF>${b}`,
      ),
      { numRuns: 2000 },
    );
    // Not before an expression that cannot join with it.
    expect(joinTemplate([{ literal: 'cost$' }, { expression: 'plain' }])).toBe('cost$plain');
  });
});

function dataStack(): { stack: TerraformStack; a: TerraformResource; b: TerraformResource } {
  const root = new Construct(undefined as never, '');
  root.node.setContext('cdktfVersion', CDKTF_VERSION);
  const stack = new TerraformStack(root, 'escape');
  const a = new TerraformResource(stack, 'a', { terraformResourceType: 'terraform_data' });
  const b = new TerraformResource(stack, 'b', { terraformResourceType: 'terraform_data' });
  return { stack, a, b };
}

describe('stackConfig: the boundary', () => {
  it('escapes literal strings and object keys, and keeps references live, also inside a literal', () => {
    const { stack, a, b } = dataStack();
    a.addOverride('input', { 'k${x}': 'v${file("/etc/passwd")}', plain: 'p', list: ['%{ if true }', 'ok'] });
    const ref = a.getStringAttribute('id');
    b.addOverride('input', { mixed: `pre\${x}-${ref}-$`, dollar: `cost$${ref}`, alone: ref });
    const config = stackConfig(stack, CDKTF_VERSION) as { resource: { terraform_data: Record<string, { input: Record<string, unknown> }> } };
    const { a: outA, b: outB } = config.resource.terraform_data;
    expect(outA!.input).toEqual({ 'k$${x}': 'v$${file("/etc/passwd")}', plain: 'p', list: ['%%{ if true }', 'ok'] });
    expect(outB!.input).toEqual({ mixed: 'pre$${x}-${terraform_data.a.id}-$', dollar: 'cost${"$"}${terraform_data.a.id}', alone: '${terraform_data.a.id}' });
  });

  it('treats text shaped like a cdktf token marker that names no token as literal', () => {
    const { stack, a } = dataStack();
    a.addOverride('input', '${TfToken[TOKEN.999999]}');
    const config = stackConfig(stack, CDKTF_VERSION) as { resource: { terraform_data: Record<string, { input: unknown }> } };
    expect(config.resource.terraform_data.a!.input).toBe('$${TfToken[TOKEN.999999]}');
  });

  it('refuses stack-level overrides, which would skip the boundary', () => {
    const { stack } = dataStack();
    stack.addOverride('locals.x', '${file("/etc/passwd")}');
    expect(() => stackConfig(stack, CDKTF_VERSION)).toThrow(/bypass the escape boundary/);
  });
});

describe('synthStack: spec text is never a reference', () => {
  it('escapes a label value and a channel email in the written stack', async () => {
    await loadBuilder('aws');
    const db = variant('sessions', { labels: { owner: '${file("/etc/passwd")}' }, channels: [{ name: 'x', email: ['%{ if true }a${b}@example.com'] }] });
    const json = synthStack(db, context()).json;
    expect(json).toContain('"owner": "$${file(\\"/etc/passwd\\")}"');
    expect(json).toContain('"endpoint": "%%{ if true }a$${b}@example.com"');
    expect(json).not.toMatch(/[^$]\$\{file/);
  });

  it('refuses spec text that forges a cdktf token marker, naming the field', async () => {
    await loadBuilder('aws');
    const db = variant('sessions', { labels: { owner: 'x${TfToken[TOKEN.1]}' } });
    let error: unknown;
    try {
      synthStack(db, context());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).code).toBe('DBAAS_SYNTH_RESERVED_TEXT');
    expect((error as SynthError).path).toEqual(['labels', 'owner']);
  });

  it('refuses text Terraform would store changed: not Unicode NFC, or a lone surrogate', async () => {
    await loadBuilder('aws');
    expect(() => synthStack(variant('sessions', { labels: { owner: 'Re\u0301sume\u0301' } }), context())).toThrow(/normal form C/);
    expect(() => synthStack(variant('sessions', { labels: { owner: 'x\ud800' } }), context())).toThrow(/surrogate/);
    expect(synthStack(variant('sessions', { labels: { owner: 'Résumé' } }), context()).json).toContain('Résumé');
  });

  it('refuses a number in cdktf’s number-token range', async () => {
    await loadBuilder('aws');
    const db = variant('sessions', { labels: { owner: 'n -1.8881545897087626e+289' } });
    expect(() => synthStack(db, context())).toThrow(/reserved range/);
  });
});
