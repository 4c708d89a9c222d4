import { ERR } from '../error-codes.js';
import { Flags } from '@oclif/core';
import { BaseCommand, EXIT_CODES_HELP } from '../cli/base.js';
import { DbaasError, ExitCode, formatProblem, problem, type Problem } from '../errors.js';
import { formatFinding } from '../render/findings.js';
import type { NewDatabaseAnswers, NewDatabaseChoices } from '../scaffold/new-database.js';
import { newDatabaseRepo, writeNewDatabase, type NewJson } from '../scaffold/new.js';
import { didYouMean } from '../suggest.js';

type Question = keyof Omit<NewDatabaseAnswers, 'labels' | 'storageGb'>;
const NAME = /^[a-z][a-z0-9-]*$/;

export default class New extends BaseCommand {
  static override summary = 'Write the spec of a new database (stacks/<team>/<name>.yaml), asking for what it needs.';
  static override description =
    `Asks for the name, team, cloud, engine, environment, region, size, backup policy and alert ` +
    `channels, offering only what dbaas.config.yaml and the repo allow (the team's environments, regions ` +
    `and sizes; the BackupPolicies and NotificationChannels that exist). Every answer can be given as a ` +
    `flag instead, and without a terminal (CI, scripts) nothing is asked: a missing answer is an error ` +
    `naming the flag and its choices.\n\nThe spec is validated with the rest of the repo before it is ` +
    `written: invalid input writes nothing (exit 2). Guardrail errors are listed with their fixes and ` +
    `the file is written (exit 1), so dbaas fix can mend it.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> new',
    '<%= config.bin %> new --name invoices --team payments --cloud aws --engine postgres --environment ' +
      'production --region eu-west-1 --size medium --policy prod-standard --notify payments-oncall --label ' +
      'cost-center=cc-1234',
  ];

  static override flags = {
    name: Flags.string({ description: 'Database name: lower-case letters, digits and hyphens; unique across the repo.' }),
    team: Flags.string({ description: 'Team, as listed under teams: in dbaas.config.yaml.' }),
    cloud: Flags.string({ description: 'Cloud.', options: ['aws', 'gcp'] }),
    engine: Flags.string({ description: 'Engine, among those dbaas.config.yaml maps sizes for on that cloud.' }),
    environment: Flags.string({ description: 'Environment the team may use.', options: ['production', 'staging', 'development'] }),
    region: Flags.string({ description: "Region, among the account's or project's regions the team may use." }),
    size: Flags.string({ description: 'T-shirt size the team may use.' }),
    policy: Flags.string({ description: 'BackupPolicy name. Default: an inline daily schedule when the repo has none.' }),
    notify: Flags.string({ description: 'NotificationChannel name (repeat for more).', multiple: true }),
    label: Flags.string({ description: 'A label KEY=VALUE (repeat for more); the config says which are required.', multiple: true }),
    'storage-gb': Flags.integer({ description: 'Allocated storage in GB. Default: 20.', min: 1 }),
  };

  async run(): Promise<NewJson> {
    const { flags } = await this.parse(New);
    const repo = newDatabaseRepo(flags.dir);
    const interactive = Boolean(process.stdin.isTTY) && !this.jsonEnabled();
    const answers = await this.answers(flags, repo.choices, repo.taken, interactive);
    const outcome = writeNewDatabase(repo.files, answers);
    return this.finish(outcome.json, outcome.problems, outcome.findings.flatMap(formatFinding));
  }

  private finish(result: NewJson, problems: readonly Problem[], findingLines: readonly string[]): NewJson {
    if (!this.jsonEnabled()) {
      for (const p of problems) this.log(formatProblem(p));
      for (const line of findingLines) this.log(line);
      if (!result.file) this.log(`✗ ${problems.length} problem(s) in the new spec; nothing was written`);
      else {
        this.log(
          `${result.exitCode === ExitCode.ok ? '✓' : '✗'} wrote ` +
            `${result.file}${result.exitCode === ExitCode.ok ? '' : ' (with guardrail errors: run dbaas fix, or change the spec)'}`,
        );
        this.log('Next steps:');
        this.log(`  dbaas plan                                 see what will be built`);
        this.log(
          `  git switch -c add-${result.file
            .split('/')
            .pop()!
            .replace(/\.yaml$/, '')} && git add ${result.file} && git commit -m "Add a database"`,
        );
        this.log('  git push, then open a pull request: dbaas comments the plan, the infra team reviews');
      }
    }
    process.exitCode = result.exitCode;
    return result;
  }

  private async answers(
    flags: Record<string, unknown>,
    choices: NewDatabaseChoices,
    taken: ReadonlySet<string>,
    interactive: boolean,
  ): Promise<NewDatabaseAnswers> {
    const problems: Problem[] = [];
    const got: Partial<Record<Question, string>> = {};
    const prompts = interactive ? await import('../cli/prompts.js') : undefined;

    const ask = async (key: Question, options: readonly string[], message: string, check?: (v: string) => string | undefined): Promise<string | undefined> => {
      const given = flags[key] as string | undefined;
      if (given !== undefined) {
        const wrong = check?.(given) ?? (options.length && !options.includes(given) ? `expected one of ${options.join(', ')}` : undefined);
        if (wrong) {
          const hint = options.length ? didYouMean(given, options) : undefined;
          problems.push(
            problem({
              code: ERR.NEW_ANSWER,
              field: `--${key}`,
              value: given,
              message: `${JSON.stringify(given)} is not allowed here: ${wrong}`,
              ...(hint ? { suggestion: hint } : {}),
            }),
          );
          return undefined;
        }
        return (got[key] = given);
      }
      if (prompts) return (got[key] = options.length ? await prompts.choose(message, options) : await prompts.text(message, check));
      problems.push(
        problem({
          code: ERR.NEW_MISSING,
          field: `--${key}`,
          message: `no answer, and no terminal to ask on; expected --${key}${options.length ? ` (one of ${options.join(', ')})` : ''}`,
        }),
      );
      return undefined;
    };
    const nameCheck = (v: string) =>
      !NAME.test(v)
        ? 'expected lower-case letters, digits and hyphens, starting with a letter'
        : taken.has(v)
          ? 'a database of that name exists already'
          : undefined;

    const name = await ask('name', [], 'Database name', nameCheck);
    const team = await ask('team', choices.teams, 'Team');
    const environment = team ? await ask('environment', choices.environments(team), 'Environment') : undefined;
    const cloud = await ask('cloud', choices.clouds, 'Cloud');
    const engine = cloud ? await ask('engine', choices.engines(cloud), 'Engine') : undefined;
    const region = team && environment && cloud ? await ask('region', choices.regions(team, environment, cloud), 'Region') : undefined;
    const size = team && environment && cloud && engine ? await ask('size', choices.sizes(team, environment, cloud, engine), 'Size') : undefined;
    let policy = flags.policy as string | undefined;
    if (policy !== undefined && !choices.policies.includes(policy)) {
      const hint = didYouMean(policy, choices.policies);
      problems.push(
        problem({
          code: ERR.NEW_ANSWER,
          field: '--policy',
          value: policy,
          message: `no BackupPolicy named ${JSON.stringify(policy)} in this repo; expected one of ${choices.policies.join(', ') || '(none yet)'}`,
          ...(hint ? { suggestion: hint } : {}),
        }),
      );
    } else if (policy === undefined && prompts && choices.policies.length) policy = await prompts.choose('Backup policy', choices.policies);
    let notify = (flags.notify as string[] | undefined) ?? [];
    for (const n of notify.filter((c) => !choices.channels.includes(c))) {
      const hint = didYouMean(n, choices.channels);
      problems.push(
        problem({
          code: ERR.NEW_ANSWER,
          field: '--notify',
          value: n,
          message: `no NotificationChannel named ${JSON.stringify(n)} in this repo; expected one of ${choices.channels.join(', ') || '(none yet)'}`,
          ...(hint ? { suggestion: hint } : {}),
        }),
      );
    }
    if (!flags.notify && prompts && choices.channels.length) notify = await prompts.pick('Alert channels', choices.channels);

    const labels: Record<string, string> = {};
    for (const pair of (flags.label as string[] | undefined) ?? []) {
      const at = pair.indexOf('=');
      if (at < 1) problems.push(problem({ code: ERR.NEW_ANSWER, field: '--label', value: pair, message: 'expected KEY=VALUE, e.g. cost-center=cc-1234' }));
      else labels[pair.slice(0, at)] = pair.slice(at + 1);
    }
    for (const key of choices.requiredLabels.filter((k) => !Object.hasOwn(labels, k))) {
      if (prompts) labels[key] = await prompts.text(`Label ${key}`);
      else
        problems.push(
          problem({ code: ERR.NEW_MISSING, field: '--label', message: `dbaas.config.yaml requires the label ${key}; expected --label ${key}=VALUE` }),
        );
    }
    if (problems.length) throw new DbaasError(problems, ExitCode.invalid);
    return {
      name: name!,
      team: team!,
      environment: environment!,
      cloud: cloud!,
      engine: engine!,
      region: region!,
      size: size!,
      ...(policy ? { policy } : {}),
      notify,
      labels,
      ...(flags['storage-gb'] ? { storageGb: flags['storage-gb'] as number } : {}),
    };
  }
}
