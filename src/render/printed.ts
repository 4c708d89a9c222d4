// The one sanitiser for text dbaas prints (stdout, stderr): spec text can never steer a terminal or
// the GitHub Actions log. BaseCommand routes log(), logToStderr(), JSON and error output through it;
// only BaseCommand.annotate() prints a workflow command, and its data is escaped by annotations.ts.
//
// How the runner reads a job's output (actions/runner, src/Runner.Worker/ActionCommandManager.cs and
// src/Runner.Common/ActionCommand.cs): the output is split into lines at \n, \r\n or a lone \r; a
// line whose text after leading whitespace (TrimStart) begins with "::" is a command (::error,
// ::add-mask::, ::stop-commands::, ...), and so is a line holding the legacy "##[" prefix anywhere.
// https://github.com/actions/runner/blob/main/src/Runner.Common/ActionCommand.cs
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands

/** Invisible, not whitespace to .NET's TrimStart, and breaks both "::" and "##[" without hiding text. */
const ZWSP = '\u200B';

// C0 and C1 controls except tab and newline (a lone \r starts a line for the runner and overwrites
// one in a terminal; ESC starts terminal sequences), and the bidi overrides that reorder what a line
// shows. They are printed as visible escapes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped or stripped
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One printed line that no runner reads as a workflow command. */
function inert(line: string): string {
  return line.replace(/^(\s*):(?=:)/u, `$1:${ZWSP}`).replace(/##\[/g, `#${ZWSP}#[`);
}

/** Text for stdout or stderr: control characters made visible, no line a workflow command. */
export function printable(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, visible).split('\n').map(inert).join('\n');
}

/**
 * JSON for stdout. Pretty JSON starts no line with "::" and escapes controls itself; "##[" can only
 * sit inside a string, where "\u005b" is the same "[" to any JSON reader, so the data is unchanged.
 */
export function printableJson(value: unknown): string {
  return printableJsonText(JSON.stringify(value, null, 2));
}

/** {@link printableJson} for JSON already serialised (a report rendered as JSON or SARIF). */
export function printableJsonText(json: string): string {
  return json.replace(/##\[/g, '##\\u005b');
}
