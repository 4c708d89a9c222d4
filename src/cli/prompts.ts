// The terminal questions of `dbaas new`, loaded only when there is a terminal to ask on.
import checkbox from '@inquirer/checkbox';
import input from '@inquirer/input';
import select from '@inquirer/select';

/** Streams to ask on. Default: the process's stdin and stdout. */
export interface PromptStreams {
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream;
}

export async function choose(message: string, options: readonly string[], streams: PromptStreams = {}): Promise<string> {
  return select({ message, choices: options.map((value) => ({ value })) }, streams);
}

export async function pick(message: string, options: readonly string[]): Promise<string[]> {
  return checkbox({ message, choices: options.map((value) => ({ value })) });
}

export async function text(message: string, check?: (value: string) => string | undefined): Promise<string> {
  return input({ message, validate: (value) => (value.trim() ? (check?.(value.trim()) ?? true) : 'an answer is needed') }).then((v) => v.trim());
}
