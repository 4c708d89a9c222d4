// The one boundary between data and Terraform syntax. Terraform reads `${...}` and `%{...}` in every
// string of a .tf.json file, object keys included, as its own template language: a label
// `${file("/etc/passwd")}` would be evaluated by `terraform plan`. Every literal text a stack holds
// (spec, config, and the tool's own text) is escaped here; Terraform expressions come only from cdktf
// tokens (resource references, Fn.*), whose resolved text is left live. stackConfig (cdktf.ts) applies
// it to every string and key, on its fast path and on cdktf's own (the fallback); no builder escapes
// on its own.
//
// One gap it cannot see: text passed as an argument of a cdktf Fn.* call is written inside an
// expression by cdktf (tfExpression.ts escapes `${` there, not `%{`, quotes or backslashes), so
// builders pass Fn.* only references and numbers, never spec text.
//
// HCL's template escapes (hashicorp/hcl hclsyntax/spec.md, "Template Literals"): `$${` is a literal
// `${` and `%%{` a literal `%{`; a `$` or `%` not followed by `{` is itself.
// test/synth/escape-terraform.test.ts holds the round trip through the real `terraform plan`.

const TEMPLATE_START = /([$%])\{/g;

/** Literal text as a Terraform template that evaluates to exactly that text. */
export function escapeTemplate(text: string): string {
  // Most strings hold no brace; skipping the regex keeps synth fast.
  return text.includes('{') ? text.replace(TEMPLATE_START, '$1$1{') : text;
}

type Part = { literal: string } | { expression: unknown };

/**
 * Joins literal text and resolved token values (cdktf's expressions, e.g. `${aws_kms_key.k.arn}`) into
 * one template: literals escaped (then passed to `finishLiteral`), token values as they are. A lone
 * part keeps its value's type (a number token stays a number). A literal ending in `$` or `%` right
 * before a value starting with `{`, `${` or `%{` would join with it into syntax or an escape
 * (`$${...}`), so those last characters are written as an interpolation of themselves (`${"$$"}`).
 */
export function joinTemplate(parts: readonly Part[], finishLiteral: (escaped: string) => unknown = (s) => s): unknown {
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only) return 'expression' in only ? only.expression : finishLiteral(escapeTemplate(only.literal));
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!('literal' in part)) {
      out += String(part.expression);
      continue;
    }
    let text = String(finishLiteral(escapeTemplate(part.literal)));
    const next = parts[i + 1];
    const run = next && 'expression' in next && /^[$%]?\{/.test(String(next.expression)) ? /[$%]+$/.exec(text) : null;
    // The whole run: `$$` + `${"$"}` would still read `$${`.
    if (run) text = `${text.slice(0, run.index)}\${"${run[0]}"}`;
    out += text;
  }
  return out;
}

/** cdktf's marker for a string token: `${TfToken[TOKEN.12]}`. */
const STRING_TOKEN_MARKER = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/**
 * A string that may hold cdktf string-token markers, as a template: each marker that names a live
 * token is replaced by `resolveMarker`'s value for it; everything else, marker-shaped text that names
 * no token included, is literal and escaped. `finishLiteral` then sees each escaped literal (cdktf's
 * number tokens, doubles near -1.9e+289 written into strings, are replaced there).
 */
export function resolveTemplate(
  text: string,
  resolveMarker: (marker: string) => { value: unknown } | undefined,
  finishLiteral?: (escaped: string) => unknown,
): unknown {
  const parts: Part[] = [];
  let literal = '';
  let last = 0;
  for (const match of text.matchAll(STRING_TOKEN_MARKER)) {
    const resolved = resolveMarker(match[0]);
    if (!resolved) continue;
    literal += text.slice(last, match.index);
    if (literal) parts.push({ literal });
    literal = '';
    parts.push({ expression: resolved.value });
    last = match.index + match[0].length;
  }
  literal += text.slice(last);
  if (literal || parts.length === 0) parts.push({ literal });
  return joinTemplate(parts, finishLiteral);
}
