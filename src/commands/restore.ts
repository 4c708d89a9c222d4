import { Args, Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { ExitCode, formatProblem, type Problem } from '../errors.js';
import { formatFinding } from '../render/findings.js';
import { writeRestore, type RestoreJson } from '../scaffold/restore.js';

export default class Restore extends BaseCommand {
  static override summary = 'Write the spec of a database restored from another (stacks/<team>/<name>.yaml).';
  static override description =
    `Writes a new Database that starts as a restore of SOURCE: at a point in time (RFC 3339, or "latest" ` +
    `for the latest restorable time) or from its newest backup. It copies the source's environment, ` +
    `cloud, region, engine, version, size, team, labels, databases, backup policy and alert channels, so ` +
    `the restore gets the same guardrails, backups and alerts, and adds spec.restoreFrom (and ` +
    `spec.expires with --expires).\n\nThe spec is validated with the rest of the repo before it is ` +
    `written: a restore that cannot work (a time outside the source's point-in-time window, ` +
    `point-in-time recovery off at the source, a DynamoDB table from a backup...) writes nothing ` +
    `(exit 2). Guardrail errors are listed and the file is written (exit 1). DBAAS_NOW replaces the clock.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> restore orders --name orders-restore --point-in-time 2026-11-29T10:15:00Z',
    '<%= config.bin %> restore orders --name orders-clone --point-in-time latest --expires 2026-12-15',
    '<%= config.bin %> restore orders --name orders-from-backup --backup latest --json',
  ];

  static override args = { source: Args.string({ description: 'The Database to restore from (metadata.name).', required: true }) };

  static override flags = {
    name: Flags.string({ description: 'Name of the new database: lower-case letters, digits and hyphens; unique across the repo.', required: true }),
    'point-in-time': Flags.string({ description: 'RFC 3339 time inside the source\'s point-in-time window, or "latest".', exclusive: ['backup'] }),
    backup: Flags.string({ description: "Restore the source's newest backup.", options: ['latest'], exclusive: ['point-in-time'] }),
    expires: Flags.string({ description: 'YYYY-MM-DD: the last day the restore is meant to exist (validate warns until then, refuses after).' }),
  };

  async run(): Promise<RestoreJson> {
    const { args, flags } = await this.parse(Restore);
    const outcome = writeRestore({
      dir: flags.dir,
      source: args.source,
      name: flags.name,
      pointInTime: flags['point-in-time'],
      backup: flags.backup as 'latest' | undefined,
      expires: flags.expires,
    });
    return this.finish(outcome.json, outcome.problems, outcome.findings.flatMap(formatFinding));
  }

  private finish(result: RestoreJson, problems: readonly Problem[], findingLines: readonly string[]): RestoreJson {
    if (!this.jsonEnabled()) {
      for (const p of problems) this.log(formatProblem(p));
      for (const line of findingLines) this.log(line);
      if (!result.file) this.log(`✗ ${problems.length} problem(s) in the restore; nothing was written`);
      else {
        this.log(
          `${result.exitCode === ExitCode.ok ? '✓' : '✗'} wrote ` +
            `${result.file}${result.exitCode === ExitCode.ok ? '' : ' (with guardrail errors: run dbaas fix, or change the spec)'}`,
        );
        const name = result.file
          .split('/')
          .pop()!
          .replace(/\.yaml$/, '');
        this.log('Next steps:');
        this.log('  dbaas plan                                 see the restore and what will be built');
        this.log(`  git switch -c restore-${name} && git add ${result.file} && git commit -m "Restore ${name}"`);
        this.log('  git push, then open a pull request: dbaas comments the plan, the infra team reviews; the restore runs when it is applied');
      }
    }
    process.exitCode = result.exitCode;
    return result;
  }
}
