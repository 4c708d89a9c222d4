// How the GitHub Actions runner reads a job's output (actions/runner ActionCommand.cs): lines split
// at \n, \r\n or a lone \r; a line whose text after leading whitespace starts with "::" is a command,
// and so is a line holding the legacy "##[" prefix anywhere.

/** The lines of this output the runner would read as workflow commands. */
export function workflowCommandLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => /^[\s\u0085]*::/u.test(line) || line.includes('##['));
}

/** An annotation as src/render/annotations.ts writes it: properties escaped, data on one line. */
export const ANNOTATION = /^::(error|warning) file=[^,:\r\n]+,line=\d+,col=\d+,title=[A-Za-z0-9_-]+::[^\r\n]*$/;
