// The one secret mask: what replaces a secret, which names mark one, and exact-value masking.

export const MASK = '********';

/** Names (record fields, files) whose values are secrets whatever they hold. */
export const SECRET_NAME = /pass(word|wd|phrase)?s?$|^requirepass$|^masterauth$|secret|token|private_?key|api_?key|credential/i;

/** Does this field or file name mark a secret? */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `text` with every occurrence of each secret replaced by MASK (longest first, so no secret is left half shown). */
export function masked(text: string, secrets: readonly string[] | undefined): string {
  let out = text;
  for (const s of [...(secrets ?? [])].filter(Boolean).sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
  return out;
}
