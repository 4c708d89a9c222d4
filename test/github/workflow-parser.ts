// Loads @actions/workflow-parser under vitest. Its ESM build imports its JSON schema without an
// import attribute, which Node refuses; a tiny load hook adds `type: 'json'` for that package only.
import { register } from 'node:module';

const addJsonAttribute = `export async function load(url, context, next) {
  if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/') && !context.importAttributes?.type) {
    return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return next(url, context);
}`;

let loaded: Promise<typeof import('@actions/workflow-parser')> | undefined;

export function loadWorkflowParser(): Promise<typeof import('@actions/workflow-parser')> {
  if (!loaded) {
    register(`data:text/javascript,${encodeURIComponent(addJsonAttribute)}`);
    loaded = import('@actions/workflow-parser');
  }
  return loaded;
}
