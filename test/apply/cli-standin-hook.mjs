// Preloaded (node --import) into a real `dbaas apply` process (cli-unbundled.mjs) by the apply CLI tests: the one thing
// swapped is the checkout synthesis dist/apply reads, which builds terraform_data stand-ins
// (standin.mjs) instead of AWS stacks that cannot be applied offline. Signals, locks, terraform and
// the report are the real CLI's.
import { register } from 'node:module';

register('./cli-standin-loader.mjs', import.meta.url);
