import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  fingerprint,
  fixCommand,
  judgeHostKey,
  keyTypeOfBlob,
  knownHostsLine,
  knownKeyTypes,
  parseKnownHosts,
  type KnownHostEntry,
} from './known-hosts.js';
import type { Endpoint } from './target.js';

// known_hosts files read once per run; the verifier for each connection decides from the
// policy (strict | accept-new | off), never prompts, and leaves a precise reason when it
// refuses (ssh2 itself only says "Host denied"). HostKeyAlias is the name looked up and
// pinned; HashKnownHosts pins hashed entries.

/** The name known_hosts is searched and pinned under: HostKeyAlias alone (ssh ignores the port then), else host[:port]. */
function lookupName(ep: Endpoint): { host: string; port: number } {
  return ep.hostKeyAlias ? { host: ep.hostKeyAlias, port: 22 } : { host: ep.host, port: ep.port };
}

export class HostKeyStore {
  private files = new Map<string, KnownHostEntry[]>();
  /** the entries of a list of files, one array per list (known-hosts.ts indexes each array once) */
  private combined = new Map<string, KnownHostEntry[]>();
  private warnedOff = false;

  constructor(private readonly warn: (m: string) => void) {}

  private entries(files: string[]): KnownHostEntry[] {
    const key = files.join('\0');
    const hit = this.combined.get(key);
    if (hit) return hit;
    const all = files.flatMap((f) => {
      let e = this.files.get(f);
      if (!e) {
        let text = '';
        try {
          text = readFileSync(f, 'utf8');
        } catch {
          /* a missing file knows no hosts */
        }
        e = parseKnownHosts(text, f);
        this.files.set(f, e);
      }
      return e;
    });
    this.combined.set(key, all);
    return all;
  }

  /** Host key algorithms to offer first: the types already known for this host. */
  preferredTypes(ep: Endpoint): string[] {
    const k = lookupName(ep);
    return knownKeyTypes(this.entries(ep.knownHostsFiles), k.host, k.port);
  }

  /** Check a presented key; returns null when accepted, else the reason (with the fix). */
  check(ep: Endpoint, blob: Buffer): string | null {
    const where = `${ep.label} (${ep.host}:${ep.port})`;
    const fp = fingerprint(blob);
    const type = keyTypeOfBlob(blob);
    const k = lookupName(ep);
    const verdict = judgeHostKey(this.entries(ep.knownHostsFiles), k.host, k.port, blob);
    if (verdict.kind === 'revoked')
      return `host key of ${where} is REVOKED (${type} ${fp}, ${verdict.entry.file}:${verdict.entry.line}); refusing to connect`;
    if (verdict.kind === 'known') return null;
    if (ep.hostKeyChecking === 'off') {
      if (!this.warnedOff) {
        this.warnedOff = true;
        this.warn('WARNING: host key checking is OFF: hosts are not authenticated, a man in the middle would not be noticed');
      }
      return null;
    }
    const pinFile = ep.knownHostsFiles[0];
    if (verdict.kind === 'changed') {
      const first = verdict.entries[0]!;
      return (
        `HOST KEY CHANGED for ${where}: it now presents ${type} ${fp}, but ${first.file}:${first.line} holds a different key. ` +
        `Someone may be intercepting the connection, or the host was reinstalled. If the change is expected, remove the old key: ` +
        `${fixCommand(k.host, k.port, first.file)}`
      );
    }
    if (ep.hostKeyChecking === 'accept-new' && pinFile) {
      this.pin(pinFile, ep, blob);
      this.warn(`pinned new host key for ${where}: ${type} ${fp} -> ${pinFile}`);
      return null;
    }
    return (
      `host key of ${where} is unknown (${type} ${fp}) and host key checking is strict. ` +
      `Verify the fingerprint, then add it (ssh-keyscan -p ${ep.port} ${ep.host} >> ${pinFile ?? '~/.ssh/known_hosts'}${ep.hostKeyAlias ? `, with the host field replaced by the HostKeyAlias ${ep.hostKeyAlias}` : ''}) ` +
      `or run once with --host-key-checking accept-new`
    );
  }

  private pin(file: string, ep: Endpoint, blob: Buffer): void {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    let sep = '';
    try {
      const old = readFileSync(file);
      if (old.length > 0 && old[old.length - 1] !== 0x0a) sep = '\n';
    } catch {
      /* new file */
    }
    const k = lookupName(ep);
    const line = knownHostsLine(k.host, k.port, blob, ep.hashKnownHosts);
    appendFileSync(file, sep + line + '\n', { mode: 0o600 });
    const list = this.files.get(file) ?? [];
    list.push(...parseKnownHosts(line, file));
    this.files.set(file, list);
    this.combined.clear();
  }
}
