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

/** What of a URL is secret: the userinfo (user and password, percent-decoded and as written) and every query value. */
export function urlSecrets(url: URL): string[] {
  const out = [url.username, url.password, ...[...url.searchParams.values()]];
  for (const v of [url.username, url.password]) {
    try {
      out.push(decodeURIComponent(v));
    } catch {
      // not valid percent-encoding: the raw form is already listed
    }
  }
  for (const part of url.search.slice(1).split('&')) out.push(part.slice(part.indexOf('=') + 1));
  return [...new Set(out.filter((s) => s.length > 0))];
}

/** The URL as it may be shown: userinfo replaced by MASK, every query value by MASK, no fragment. */
export function maskedUrl(url: URL): string {
  const u = new URL(url.href);
  const auth = u.username || u.password ? `${MASK}@` : '';
  u.username = '';
  u.password = '';
  const query = u.search ? '?' + u.search.slice(1).split('&').map((p) => (p.includes('=') ? `${p.slice(0, p.indexOf('='))}=${MASK}` : MASK)).join('&') : '';
  return `${u.protocol}//${auth}${u.host}${u.pathname}${query}`;
}
