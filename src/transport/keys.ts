import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

// Private keys are read and parsed ONCE per file for the whole run (parsing an encrypted
// key is slow: bcrypt KDF), then the parsed key is handed to every connection.

export type KeyLoad = { ok: true; key: ParsedKey } | { ok: false; reason: string; missing?: boolean };

const cache = new Map<string, KeyLoad>();

/** Read and parse a key file (OpenSSH or PEM, RSA/ECDSA/Ed25519), optionally encrypted. */
export function loadPrivateKey(file: string, passphrase?: string): KeyLoad {
  const cacheKey = `${file}\0${passphrase ?? ''}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let result: KeyLoad;
  let data: Buffer | undefined;
  try {
    data = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    result = { ok: false, missing: code === 'ENOENT', reason: `cannot read private key ${file}: ${code ?? String(e)}` };
  }
  if (data) result = parseKeyData(data, file, passphrase);
  cache.set(cacheKey, result!);
  return result!;
}

/** Pure part: bytes -> parsed key or a reason with the fix. */
export function parseKeyData(data: Buffer, file: string, passphrase?: string): KeyLoad {
  const parsed = ssh2.utils.parseKey(data, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    const msg = key instanceof Error ? key.message : 'no key found';
    if (/encrypted|passphrase|decrypt/i.test(msg))
      return {
        ok: false,
        reason: passphrase
          ? `private key ${file}: wrong passphrase (${msg}); check MINESWEEP_KEY_PASSPHRASE`
          : `private key ${file} is encrypted: set MINESWEEP_KEY_PASSPHRASE, or load it into ssh-agent (ssh-add ${file})`,
      };
    return { ok: false, reason: `private key ${file}: not an OpenSSH/PEM private key (${msg})` };
  }
  if (!key.isPrivateKey()) return { ok: false, reason: `${file} holds a public key, expected the private key` };
  return { ok: true, key };
}

/** The keys OpenSSH tries when none is configured. */
export function defaultIdentityFiles(home: string): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => `${home}/.ssh/${n}`);
}
