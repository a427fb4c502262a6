// The one secret mask: what replaces a secret, which names mark one, and exact-value masking.

export const MASK = '********';

/** Names (record fields, files) whose values are secrets whatever they hold. */
export const SECRET_NAME = /pass(word|wd|phrase)?s?$|^requirepass$|^masterauth$|secret|token|private_?key|api_?key|credential/i;

/** Does this field or file name mark a secret? */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

// playbook and inventory variables: any pass… or …_key name marks a secret as well,
// but a …file name holds the path to a secret, not the secret
const SECRET_VARIABLE = /pass|_key$/i;

/** Does this playbook or inventory variable name mark a secret value (to mask in output)? */
export function isSecretVariable(name: string): boolean {
  return (isSecretName(name) || SECRET_VARIABLE.test(name)) && !/file$/i.test(name);
}

/** `text` with every occurrence of each secret replaced by MASK (longest first, so no secret is left half shown). */
export function masked(text: string, secrets: readonly string[] | undefined): string {
  let out = text;
  for (const s of [...(secrets ?? [])].filter(Boolean).sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
  return out;
}
