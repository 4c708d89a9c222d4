// One list of the words that mark a key as holding a secret. The validator refuses a plain value under
// such a key (src/validate/checks.ts); the renderers never show a changed value whose path has one
// (src/render/markdown.ts). src/synth/secret-free.ts keeps its own exact list of Terraform arguments,
// and test/secrets.test.ts proves each of those is caught by this one too.
export const SECRET_KEY_WORDS = [
  'password',
  'passwd',
  'secret',
  'token',
  'api[-_]?key',
  'private[-_]?key',
  'webhook',
  'credential',
  'sensitive',
  // auth, authorization, basic_auth; not "author(s)", a common label key.
  'auth(?!ors?\\b)',
] as const;

/** True when a key or a dotted path names a secret (case-insensitive, anywhere in the text). */
export const SECRET_KEY = new RegExp(`(${SECRET_KEY_WORDS.join('|')})`, 'i');
