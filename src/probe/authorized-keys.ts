import { createHash } from 'node:crypto';
import type { AuthorizedKey } from '../facts/types.js';

// authorized_keys lines → keys, with the SHA256 fingerprint computed here from the key blob
// (what `ssh-keygen -lf` prints), so the host needs no ssh-keygen.

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|ssh-(rsa|ed25519)-cert-v01@openssh\.com|ecdsa-sha2-nistp(256|384|521)-cert-v01@openssh\.com)$/;

/** Split off the options field: up to the first space outside double quotes. */
function splitOptions(line: string): [string, string] {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if ((c === ' ' || c === '\t') && !quoted) return [line.slice(0, i), line.slice(i).trimStart()];
  }
  return [line, ''];
}

/** SHA256:base64(sha256(blob)) without padding, as OpenSSH prints it. */
export function fingerprint(base64Blob: string): string {
  const blob = Buffer.from(base64Blob, 'base64');
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export function parseAuthorizedKeyLine(raw: string, line: number): AuthorizedKey | null {
  const text = raw.replace(/\r$/, '').trim();
  if (text === '' || text.startsWith('#')) return null;
  let options = '';
  let rest = text;
  const first = text.split(/\s+/, 1)[0]!;
  if (!KEY_TYPE.test(first)) [options, rest] = splitOptions(text);
  const [type = '', blob = '', ...comment] = rest.split(/[ \t]+/);
  const valid = KEY_TYPE.test(type) && /^[A-Za-z0-9+/]+=*$/.test(blob);
  return { line, options, type, fingerprint: valid ? fingerprint(blob) : '', comment: comment.join(' '), raw };
}

export function parseAuthorizedKeys(content: string): AuthorizedKey[] {
  return content.split('\n').flatMap((l, i) => parseAuthorizedKeyLine(l, i + 1) ?? []);
}
