// Shared by the escape boundary tests: strings rich in Terraform template syntax, and a model of
// how Terraform reads a template's literal text.
import fc from 'fast-check';

/**
 * HCL's template reading of a JSON string (hashicorp/hcl hclsyntax/spec.md "Template Literals"):
 * `$${` and `%%{` are the literal `${` and `%{`; a lone `${` or `%{` starts syntax, reported as null.
 * Only literal text and the given references (`${name}`) are modelled; `${"$$"}` (what joinTemplate writes) is read as `$$`.
 */
export function readTemplate(text: string, references: Record<string, string> = {}): string | null {
  let out = '';
  for (let i = 0; i < text.length;) {
    const reference = Object.keys(references).find((r) => text.startsWith(`\${${r}}`, i));
    if (reference) {
      out += references[reference];
      i += reference.length + 3;
      continue;
    }
    const interpolated = /^\$\{"([$%]+)"\}/.exec(text.slice(i));
    if (interpolated) {
      out += interpolated[1];
      i += interpolated[0].length;
    } else if ((text[i] === '$' || text[i] === '%') && text[i + 1] === text[i] && text[i + 2] === '{') {
      out += `${text[i]}{`;
      i += 3;
    } else if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{') {
      return null;
    } else {
      out += text[i++];
    }
  }
  return out;
}

/** Strings rich in template syntax: fragments Terraform reads specially, mixed with any text. */
export const hostileString = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '${',
        '%{',
        '$${',
        '%%{',
        '$$',
        '%%',
        '$',
        '%',
        '{',
        '}',
        '"',
        "'",
        '\\',
        '\n',
        '\r\n',
        '\t',
        'é',
        '😀',
        '${file("/etc/hostname")}',
        '%{ if true }x%{ endif }',
        'TfToken',
      ),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''))
  // Terraform stores every string as Unicode NFC, so synth refuses other text (src/synth/index.ts).
  .filter((s) => s.normalize('NFC') === s);
