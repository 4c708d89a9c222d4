// Stand-in stacks for apply tests: Terraform's built-in terraform_data, which needs no provider and no
// network, so the real terraform can apply them here. Plain JS: also loaded by the CLI hook
// (cli-standin-hook.mjs) into a real bin/run.js process.

/** A stack per database name: FAIL_<name> fails through local-exec, SLOW_<name> sleeps first. */
export function standinJson(name, behaviour = {}) {
  const provisioners = [];
  if (behaviour.sleepSeconds) provisioners.push({ 'local-exec': { command: `sleep ${behaviour.sleepSeconds}` } });
  if (behaviour.fail) provisioners.push({ 'local-exec': { command: `echo "boom: ${name} cannot be created" >&2; exit 3` } });
  const marker = { input: `${name}-${behaviour.version ?? 'v1'}`, ...(provisioners.length ? { provisioner: provisioners } : {}) };
  return `${JSON.stringify({ terraform: { required_version: '>= 1.5' }, resource: { terraform_data: { marker } } }, null, 2)}\n`;
}

/** Behaviours read from DBAAS_TEST_STANDIN (JSON: name → behaviour), for the CLI hook. */
export function behaviours() {
  return JSON.parse(process.env.DBAAS_TEST_STANDIN ?? '{}');
}
