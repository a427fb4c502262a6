import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findSsh, OpenSshResolver } from './openssh.js';
import { matchList, parseConfig, resolveBuiltin, SshConfigError, type ConfigFile, type ConfigSource, type LocalSide, type SshSettings } from './ssh-config.js';
import { parseSshWords } from './ssh-words.js';
import type { ResolveEnv, SettingsSource } from './target.js';
import type { FleetOptions } from './types.js';

// The I/O side of target resolution: the local user, and where settings come from —
// `ssh -G` when OpenSSH's client is installed, else the built-in resolver reading
// ~/.ssh/config and /etc/ssh/ssh_config (or the -F file) with their Includes.

export const SYSTEM_CONFIG = '/etc/ssh/ssh_config';

export function localSide(env: NodeJS.ProcessEnv = process.env): LocalSide {
  const info = os.userInfo();
  return { home: env['HOME'] || info.homedir, localUser: info.username, uid: info.uid, localHost: os.hostname(), env };
}

/** Files matching a glob with `*` `?` in any path segment, sorted (what Include expands to). */
export function globFiles(pattern: string): string[] {
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let found = [parts[0] === '' ? '/' : '.'];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const dir of found) {
      if (!/[*?[]/.test(part)) next.push(path.join(dir, part));
      else {
        try {
          for (const n of readdirSync(dir).sort()) if (!n.startsWith('.') && matchList(part, n, false)) next.push(path.join(dir, n));
        } catch {
          /* not a directory */
        }
      }
    }
    found = next;
  }
  return found;
}

const fsSource: ConfigSource = {
  read(p) {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  glob: globFiles,
};

/** The built-in resolver as a settings source (config files parsed once per run). */
export function builtinSource(local: LocalSide, source: ConfigSource = fsSource): SettingsSource {
  const parsed = new Map<string, ConfigFile | null>();
  const file = (p: string, includeBase: string, required = false): ConfigFile | null => {
    if (!parsed.has(p)) {
      const text = source.read(p);
      parsed.set(p, text === undefined ? null : parseConfig(text, p, source, { includeBase, home: local.home }));
    }
    const f = parsed.get(p)!;
    if (!f && required) throw new SshConfigError(`cannot read the ssh config file ${p} (given with -F)`);
    return f;
  };
  return {
    kind: 'builtin',
    async settings(words: string[], host: string): Promise<SshSettings> {
      const w = parseSshWords(words);
      const userDir = path.join(local.home, '.ssh');
      const files = w.configFile !== undefined
        ? w.configFile === 'none' ? [] : [file(path.resolve(w.configFile.replace(/^~(?=\/|$)/, local.home)), userDir, true)]
        : [file(path.join(userDir, 'config'), userDir), file(SYSTEM_CONFIG, path.dirname(SYSTEM_CONFIG))];
      return resolveBuiltin({ host, commandLine: w.options, files: files.filter((f): f is ConfigFile => f !== null) }, local);
    },
    async baseline() {
      return new Map();
    },
  };
}

/** Where settings come from for this run: ssh -G when there is an ssh client, else the built-in resolver. */
export function loadResolveEnv(opts: FleetOptions, env: NodeJS.ProcessEnv = process.env): ResolveEnv {
  const local = localSide(env);
  const ssh = findSsh(env);
  const source: SettingsSource = ssh ? openSshSource(new OpenSshResolver(ssh)) : builtinSource(local);
  return { local, source, opts };
}

function openSshSource(r: OpenSshResolver): SettingsSource {
  return { kind: 'openssh', settings: (w, h) => r.settings(w, h), baseline: () => r.baseline() };
}
