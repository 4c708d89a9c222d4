// The one sanitiser for printed text: no line it returns is a GitHub workflow command, as the
// runner reads lines (split at \n, \r\n or a lone \r; leading whitespace trimmed; "##[" anywhere).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable, printableJson, printableJsonText } from '../../src/render/printed.js';
import { workflowCommandLines } from '../helpers/workflow-commands.js';

const FORGED = [
  '::error file=a.yaml,line=1::forged',
  '  ::add-mask::secret',
  '\t::stop-commands::token',
  '\u3000::warning::x',
  'x ##[error]legacy',
  '##[set-output name=a;]b',
  'ok\r::error::after a carriage return',
  'ok\r\n::group::x',
  '\u0085::error::x',
];

describe('printable', () => {
  it.each(FORGED)('neutralises %j and keeps its text readable', (text) => {
    const out = printable(text);
    expect(workflowCommandLines(out)).toEqual([]);
    expect(out.replace(/\u200b/g, '')).toBe(
      text
        .replace(/\r\n/g, '\n')
        .replace(/\r/g, '\\u000d')
        .replace(/\u0085/g, '\\u0085'),
    );
  });

  it('leaves ordinary lines alone', () => {
    const text = 'stacks/a.yaml:3:4: error DBAAS_X spec.x: got "a::b"; expected c\n    how to fix: see docs: https://example.com\n✓ 9 databases valid';
    expect(printable(text)).toBe(text);
  });

  it('makes control characters and bidi overrides visible', () => {
    expect(printable('a\u001b[31mred\u0007 \u202eevil\tok')).toBe('a\\u001b[31mred\\u0007 \\u202eevil\tok');
  });

  it('holds for any text (property)', () => {
    const piece = fc.oneof(fc.string(), fc.constantFrom('::', '##[', '\r', '\n', '\r\n', ' ', '\t', '\u3000', '\u0085', '::error::x'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => workflowCommandLines(printable(pieces.join(''))).length === 0),
      { numRuns: 2000 },
    );
  });
});

describe('printableJson', () => {
  it('gives the same data with no "##[" in the text', () => {
    const value = { message: '##[error]x', nested: ['::error::y\n::add-mask::z'] };
    const text = printableJson(value);
    expect(workflowCommandLines(text)).toEqual([]);
    expect(JSON.parse(text)).toEqual(value);
    expect(JSON.parse(printableJsonText(JSON.stringify(value)))).toEqual(value);
  });
});
