// The plan workflow's github-script step, run as GitHub runs it (an async function given github,
// context and require) with a fake API: the comment it posts renders, footer included, with a GFM
// library. Both copies of the workflow carry the same script.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planRepo } from '../../src/plan/index.js';
import type { PlanReport } from '../../src/plan/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { cleanupTempRepos, REPO_ROOT, tempRepo } from '../helpers/repo.js';
import { elementCounts, renderGfm, visibleText } from '../render/gfm.js';

process.env.DBAAS_NOW = '2026-11-21';
const WORKFLOWS = ['.github/workflows/dbaas-plan.yml', 'templates/infra-repo/.github/workflows/dbaas-plan.yml'];

type Step = { uses?: string; with?: { script?: string } };
function commentScript(file: string): string {
  const wf = parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const step = Object.values(wf.jobs)
    .flatMap((j) => j.steps)
    .find((s) => s.uses?.startsWith('actions/github-script@'));
  return step!.with!.script!;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
const RUN_URL = 'https://github.com/acme/infra/actions/runs/42';

/** Runs the script with plan.md holding `plan` (undefined: the file is missing) and returns the posted body. */
async function postedBody(plan: string | undefined): Promise<string> {
  const posted: string[] = [];
  const fs = {
    readFileSync: (path: string) => {
      if (path === 'dbaas-plan/plan.md' && plan !== undefined) return plan;
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    },
  };
  const github = {
    paginate: async () => [],
    rest: {
      issues: {
        listComments: () => undefined,
        createComment: async ({ body }: { body: string }) => void posted.push(body),
        updateComment: async () => undefined,
      },
    },
  };
  const context = {
    repo: { owner: 'acme', repo: 'infra' },
    serverUrl: 'https://github.com',
    runId: 42,
    payload: { pull_request: { head: { sha: 'abc1234def' } } },
    issue: { number: 7 },
  };
  const require = (name: string) => {
    if (name === 'node:fs') return fs;
    throw new Error(`unexpected require ${name}`);
  };
  await new AsyncFunction('require', 'github', 'context', commentScript(WORKFLOWS[0]!))(require, github, context);
  expect(posted).toHaveLength(1);
  return posted[0]!;
}

const FOOTER = `<p><sub>dbaas plan of abc1234 · <a href="${RUN_URL}">workflow run</a></sub></p>`;

let report: PlanReport;
beforeAll(async () => {
  report = (await planRepo({ dir: tempRepo('example') })).report;
  cleanupTempRepos();
});

describe('the plan comment posted by the workflow', () => {
  it('is the same script in the repo workflow and the infra-repo template', () => {
    expect(commentScript(WORKFLOWS[1]!)).toBe(commentScript(WORKFLOWS[0]!));
  });

  it('renders the plan, then the plan footer and the workflow footer as markdown after the last </details>', async () => {
    const html = renderGfm(await postedBody(renderMarkdown(report)));
    expect(html.trimEnd()).toMatch(
      new RegExp(
        `</details>\\s*<hr />\\s*<p><em>Full report: [^<]*<code>npx dbaas plan</code>\\.</em></p>\\s*${FOOTER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
      ),
    );
    expect(visibleText(html)).not.toContain('[workflow run]');
  });

  it('renders the "plan failed" fallback with its link and footer', async () => {
    const html = renderGfm(await postedBody(undefined));
    expect(html).toContain('<h3>dbaas plan failed</h3>');
    expect(html).toContain(`in the <a href="${RUN_URL}">workflow run</a>.</p>`);
    expect(html.trimEnd().endsWith(FOOTER)).toBe(true);
  });

  it('closes a code fence and a <details> that the length cut left open, so the note and footer render', async () => {
    const open = `<!-- dbaas-plan -->\n### plan\n\n<details><summary>big</summary>\n\n\`\`\`\`diff\n${'+ aws_backup_selection.x\n'.repeat(5000)}`;
    const body = await postedBody(open);
    expect(body.length).toBeLessThanOrEqual(65_536);
    const html = renderGfm(body);
    expect(elementCounts(html)).toMatchObject({ details: 1, pre: 1 });
    const tail = html.slice(html.lastIndexOf('</details>'));
    expect(tail).toContain('<p><em>Truncated: the full plan is in the dbaas-plan artifact of the <a');
    expect(tail.trimEnd().endsWith(FOOTER)).toBe(true);
  });
});
