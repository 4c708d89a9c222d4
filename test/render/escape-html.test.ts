import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/render/escape-html.js';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ['</svg><svg onload=alert(1)>', '&lt;/svg&gt;&lt;svg onload=alert(1)&gt;'],
    ["' onmouseover='x", '&#39; onmouseover=&#39;x'],
    ['&lt; already', '&amp;lt; already'],
    ['`${x}`', '&#96;${x}&#96;'],
  ])('%s', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('leaves plain text and non-ASCII alone, and stringifies numbers', () => {
    expect(escapeHtml('orders ≥35d · eu-west-1')).toBe('orders ≥35d · eu-west-1');
    expect(escapeHtml(42)).toBe('42');
  });
});
