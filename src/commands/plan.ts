import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { planRepo, synthOffline } from '../plan/index.js';
import type { PlanReport } from '../plan/types.js';
import type { Environment } from '../spec/generated.js';
import { annotation } from '../render/annotations.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderPlanText } from '../render/plan-text.js';
import { renderSarif } from '../render/sarif.js';


export default class Plan extends BaseCommand {
  static override summary = 'Show what a change does to each database stack, against the base branch.';
  static override description = `Runs load → validate → guard → synth for the working tree and for --base (read through git, without touching the working tree), and compares the stacks the change touches, resource by resource. Removing a database, its vault, its backup plan or anything that deletes recovery points is called out and makes the exit code 1 unless --allow-destroy is given.

With --terraform, each touched stack is also planned by the real terraform (init with one shared plugin cache, plan -out, show -json); plans and a manifest tying them to their inputs are saved under --plans for dbaas apply.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan --all',
    '<%= config.bin %> plan --base origin/main --format markdown --out plan.md',
    '<%= config.bin %> plan --terraform --plans .dbaas/plans',
  ];

  static override flags = {
    base: Flags.string({ description: 'Git revision to compare against. Default: on a branch, where it left the default branch (merge base with origin/HEAD, origin/main or main); on the default branch, HEAD; without git everything is new.', exclusive: ['all'] }),
    all: Flags.boolean({ description: 'Plan every database as new (as for a first apply), ignoring git.', default: false }),
    full: Flags.boolean({ description: 'Evaluate every database, even when the config and policies are unchanged and only the changed files need to be.', default: false }),
    format: Flags.string({ description: 'Output format.', options: ['text', 'markdown', 'json', 'sarif'], default: 'text' }),
    out: Flags.file({ description: 'Write the output to this file (atomically) instead of stdout.' }),
    terraform: Flags.boolean({ description: 'Also run the real terraform plan for each touched stack.', default: false }),
    offline: Flags.boolean({ description: 'With --terraform: mock credentials and a local state stand-in (reviewable, never applicable).', default: false, dependsOn: ['terraform'] }),
    plans: Flags.directory({ description: 'Where --terraform saves stacks, plans and the manifest.', default: '.dbaas/plans' }),
    parallelism: Flags.integer({ description: 'Stacks planned by terraform at once.', default: 2, min: 1, max: 32 }),
    'allow-destroy': Flags.boolean({ description: 'Accept a plan that destroys data or recovery points.', default: false }),
    'save-markdown': Flags.file({ description: 'Also write the PR comment (markdown) to this file, from the same run.' }),
    'save-json': Flags.file({ description: 'Also write the JSON report to this file, from the same run.' }),
    'save-sarif': Flags.file({ description: 'Also write SARIF 2.1.0 to this file, from the same run.' }),
    environment: Flags.string({ description: 'Plan only the databases of this environment (one apply job per environment plans its own).', options: ['development', 'staging', 'production'] }),
  };

  async run(): Promise<PlanReport> {
    const { flags } = await this.parse(Plan);
    const { report: configReport, stacks, headFiles, head } = await planRepo({ dir: flags.dir, base: flags.base, all: flags.all, full: flags.full, allowDestroy: flags['allow-destroy'], keepStacks: flags.terraform, ...(flags.environment ? { environment: flags.environment as Environment } : {}) });
    let report = configReport;

    if (flags.terraform && report.exitCode !== ExitCode.invalid) {
      const names = report.stacks.filter((s) => s.action !== 'delete' && s.action !== 'no-op').map((s) => s.name);
      // Offline plans need stacks built for mock credentials (see SynthContext.offlineCheck).
      const toPlan = flags.offline && head ? await synthOffline(head, names) : names.flatMap((n) => (stacks.get(n) ? [stacks.get(n)!] : []));
      const plansDir = resolve(flags.dir, flags.plans);
      // Loaded only here: terraform's runner (execa, listr2) is start-up a plan without --terraform never uses.
      const { planWithTerraform } = await import('../plan/terraform.js');
      const summaries = await planWithTerraform(toPlan, headFiles, {
        plansDir,
        parallelism: flags.parallelism,
        offline: flags.offline,
        interactive: Boolean(process.stderr.isTTY) && process.env.CI !== 'true',
      });
      const planned = report.stacks.map((s) => (summaries.has(s.name) ? { ...s, terraform: summaries.get(s.name)! } : s));
      const all = [...summaries.values()];
      const failed = all.filter((t) => !t.ok).length;
      // Terraform knows deletions the config diff cannot (drift, forced replacements): they are loud too.
      const known = new Set(report.destroys.map((d) => `${d.stack}/${d.address}`));
      const terraformDestroys = planned.flatMap((s) => (s.terraform?.deletes ?? []).filter((a) => !known.has(`${s.name}/${a}`)).map((address) => ({ stack: s.name, address, reason: 'terraform plans to delete it' })));
      const destroys = [...report.destroys, ...terraformDestroys];
      const refusedForDestroy = terraformDestroys.length > 0 && !flags['allow-destroy'] && report.destroys.length === 0;
      report = {
        ...report,
        destroys,
        stacks: planned,
        terraform: { add: all.reduce((n, t) => n + t.add, 0), change: all.reduce((n, t) => n + t.change, 0), destroy: all.reduce((n, t) => n + t.destroy, 0), failed, plansDir },
        refusals: [
          ...report.refusals,
          ...(refusedForDestroy ? [`terraform plans to delete ${terraformDestroys.length} resource(s) without --allow-destroy`] : []),
          ...(failed ? [`terraform plan failed for ${failed} stack(s)`] : []),
        ],
        exitCode: report.exitCode === ExitCode.ok && (failed || refusedForDestroy) ? ExitCode.findings : report.exitCode,
      };
    }

    const render = (format: string, artifact?: string): string =>
      format === 'markdown'
        ? renderMarkdown(report, artifact ? { artifact } : {})
        : format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : format === 'sarif'
            ? renderSarif({ toolVersion: report.toolVersion, findings: report.findings, problems: report.problems })
            : renderPlanText(report);
    const artifact = flags['save-json'] || flags.out ? 'the plan.json artifact of this workflow run' : undefined;
    const saves: [string, string | undefined][] = [
      ['markdown', flags['save-markdown']],
      ['json', flags['save-json']],
      ['sarif', flags['save-sarif']],
    ];
    for (const [format, file] of saves) if (file) writeFileAtomic(resolve(file), render(format, artifact));
    if (!this.jsonEnabled()) {
      const rendered = render(flags.format, artifact);
      if (flags.out) writeFileAtomic(resolve(flags.out), rendered);
      else this.writeStdout(rendered, flags.format === 'json' || flags.format === 'sarif' ? 'json' : 'text');
    }
    if (this.inGithubActions) {
      // Workflow commands are read from stderr too; stdout may be carrying JSON or SARIF.
      for (const p of report.problems) {
        this.annotate(annotation({ severity: p.severity, code: p.code, message: p.message, ...(p.field ? { field: p.field } : {}), ...(p.file ? { location: { file: p.file, line: p.line ?? 1, column: p.column ?? 1 } } : {}) }), 'stderr');
      }
      for (const f of report.findings.filter((x) => !x.waived)) {
        this.annotate(annotation({ severity: f.severity, code: f.guardrail, message: `${f.database}: ${f.message} ${f.remediation}`, location: { file: f.file, line: f.line, column: f.column } }), 'stderr');
      }
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(report));
    }
    process.exitCode = report.exitCode;
    return report;
  }
}
