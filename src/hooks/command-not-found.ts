// An unknown command is a usage mistake (exit 2) with the closest command as a hint, never oclif's
// bare "command not found".
import type { Hook } from '@oclif/core';
import { printable } from '../render/printed.js';
import { didYouMean } from '../suggest.js';

// eslint-disable-next-line @typescript-eslint/require-await -- oclif hooks are async; this one finishes synchronously
const hook: Hook<'command_not_found'> = async function (options) {
  const ids = options.config.commands.filter((c) => !c.hidden).map((c) => c.id.replace(/:/g, ' '));
  const asked = options.id.replace(/:/g, ' ');
  const hint = didYouMean(asked, ids);
  process.stderr.write(
    `dbaas: ${printable(`"${asked}" is not a dbaas command`)}${hint ? ` (${hint})` : `; expected one of ${ids.sort().join(', ')}`}; see dbaas --help\n`,
  );
  process.exitCode = 2;
};

export default hook;
