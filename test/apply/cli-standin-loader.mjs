// Module resolve hook (see cli-standin-hook.mjs): dist/apply/index.js gets standin-batch.mjs as its
// ../synth/batch.js; every other import resolves as usual.
const STANDIN = new URL('./standin-batch.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === '../synth/batch.js' && context.parentURL?.endsWith('/dist/apply/index.js')) return { url: STANDIN, shortCircuit: true };
  return next(specifier, context);
}
