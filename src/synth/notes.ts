// Notes a builder leaves for the reviewer (things the stack cannot do by itself, such as an
// organization-level setting). They land in the stack's "//" metadata and in `dbaas synth` output.
import type { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';

const NOTES = new WeakMap<TerraformStack, string[]>();

export function addNote(scope: IConstruct, note: string): void {
  const stack = TerraformStack.of(scope);
  const list = NOTES.get(stack) ?? [];
  if (!list.includes(note)) list.push(note);
  NOTES.set(stack, list);
}

export function notesOf(stack: TerraformStack): string[] {
  return [...(NOTES.get(stack) ?? [])];
}
