// How long a reason is, as a reader sees it. A minimum length is there to make someone write why;
// spaces and characters that show nothing (zero-width spaces and joiners, byte-order marks, fillers
// such as U+3164, combining marks on their own) do not count toward it.

const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Visible characters (code points) in the text. */
export function visibleLength(text: string): number {
  return [...text.replace(INVISIBLE, '')].length;
}
