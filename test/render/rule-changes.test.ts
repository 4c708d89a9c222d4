// The rule-changes section renders config text as text: no element comes from a value.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import type { RuleChangesReport } from '../../src/plan/types.js';
import { mdText } from '../../src/render/escape.js';
import { ruleChangesMarkdown } from '../../src/render/rule-changes.js';

const html = (md: string) => micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });

describe('rule changes in the PR comment', () => {
  const hostile = '<!-- x --> ![i](http://e/x.png) [l](http://e) # h @team `c` | a | **b**';
  const report: RuleChangesReport = {
    judgedBy: 'base',
    changes: [{ kind: 'team', id: 'payments', action: 'edited', file: 'dbaas.config.yaml', summary: hostile, databases: ['orders'] }],
    differences: [{ database: 'orders', guardrail: 'size-allowed', field: 'size', underBase: 'error', underPr: 'pass' }],
    findingsUnderPrRules: [],
    exitCodeUnderPrRules: 0,
    problemsUnderBaseRules: [{ severity: 'error', code: 'X', message: hostile, file: 'stacks/a.yaml', line: 1, column: 1 } as never],
  };

  it('escapes every value: no image, link, comment, heading or extra table cell', () => {
    const out = html(ruleChangesMarkdown(report).join('\n'));
    expect(out).not.toMatch(/<img|<a |<!--|<h\d|<strong>b/);
    expect(out).toContain('&lt;!-- x --&gt;');
    // The table keeps its five columns.
    expect(out.match(/<td>/g)?.length).toBe(5);
  });

  it('keeps the text readable', () => {
    expect(html(mdText('teams.payments: {"regions":["eu-west-1"]}'))).toContain('teams.payments: {&quot;regions&quot;:[&quot;eu-west-1&quot;]}');
  });
});
