// bin/run.js for the tests that swap one module under the CLI (cli-standin-hook.mjs): the apply
// command as tsc compiled it, module by module. The CLI itself runs the bundle (scripts/bundle.mjs),
// which has no module boundary left to swap at. Flags, signals, locks and exit codes are the same.
import { flush, handle } from '@oclif/core';

const { default: Apply } = await import('../../dist/commands/apply.js');
await Apply.run(process.argv.slice(2), new URL('../../', import.meta.url).href).then(flush, handle);
