import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { formatsFor, render } from '../render/formats.js';
import { reportRepo } from '../report/run.js';
import type { ReportJson } from '../report/types.js';

export default class Report extends BaseCommand {
  static override summary = 'Describe the backup posture of every database, as built, against the guardrails.';
  static override description =
    `Runs load → validate → resolve → guard → synth over the whole repo and reports, per database: RPO, ` +
    `retention, PITR window, offsite copies, vault lock, alerts, restore tests and the RTO target, ` +
    `waivers with their expiry, guardrail findings and the account baseline that covers it. HTML is one ` +
    `self-contained page (no network) with charts: coverage per team, retention and RPO against policy, ` +
    `waivers expiring in 30 and 90 days. DBAAS_NOW (an ISO date) replaces today's date.\n\n` +
    `The report is written even when guardrail errors are open (exit 1) or a stack could not be built ` +
    `(exit 2, the database shows as not built).\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report --format html --out report.html',
    '<%= config.bin %> report --format html --out report.html --save-markdown summary.md --save-json report.json',
  ];

  static override flags = {
    format: Flags.string({ description: 'Output format.', options: formatsFor('report'), default: 'markdown' }),
    out: Flags.file({ description: 'Write the output to this file (atomically) instead of stdout.' }),
    'save-markdown': Flags.file({ description: 'Also write the markdown report to this file, from the same run.' }),
    'save-json': Flags.file({ description: 'Also write the JSON report to this file, from the same run.' }),
    'save-html': Flags.file({ description: 'Also write the HTML report to this file, from the same run.' }),
  };

  async run(): Promise<ReportJson> {
    const { flags } = await this.parse(Report);
    const report = await reportRepo({ dir: flags.dir });
    const saves: [string, string | undefined][] = [
      ['markdown', flags['save-markdown']],
      ['json', flags['save-json']],
      ['html', flags['save-html']],
    ];
    for (const [format, file] of saves) if (file) writeFileAtomic(resolve(file), render('report', format, report));
    if (!this.jsonEnabled()) {
      const rendered = render('report', flags.format, report);
      if (flags.out) {
        writeFileAtomic(resolve(flags.out), rendered);
        const s = report.summary;
        this.logToStderr(
          `${report.ok ? '✓' : '✗'} report of ${s.databases} databases written to ${flags.out}: ${s.compliant} ` +
            `with no open guardrail error, ${s.errors} errors, ${report.problems.length} problems`,
        );
      } else process.stdout.write(rendered);
    }
    process.exitCode = report.exitCode;
    return report;
  }
}
