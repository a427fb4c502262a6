import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const { utils } = ssh2;
import type { Target } from '../inventory/types.js';

/** SHA256:… of an OpenSSH public key blob, as ssh-keygen -lf prints it. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The fingerprint of the key in a private key file (from KEY.pub when present); null when unreadable. */
export function fingerprintOfKeyFile(file: string, passphrase?: string): string | null {
  try {
    if (existsSync(`${file}.pub`)) {
      const b64 = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/)[1];
      if (b64) return fingerprintOfBlob(Buffer.from(b64, 'base64'));
    }
    const parsed = utils.parseKey(readFileSync(file), passphrase);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error) return null;
    return fingerprintOfBlob(key.getPublicSSH());
  } catch {
    return null;
  }
}

/** The controller's own login keys (every identity file a connection may offer): never reported, never removed. */
export function controllerKeyFingerprints(targets: Target[]): string[] {
  const files = new Set(targets.flatMap((t) => [...(t.privateKeyFile ? [t.privateKeyFile] : []), ...(t.identityFiles ?? [])]));
  return [...files].map((f) => fingerprintOfKeyFile(f)).filter((x): x is string => x !== null);
}
