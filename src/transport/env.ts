import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSshConfig } from './ssh-config.js';
import { matchPatternList } from './known-hosts.js';
import type { ResolveEnv } from './target.js';
import type { FleetOptions } from './types.js';

/** Read ~/.ssh/config (or the given file; a missing file is an empty config) once per run. */
export function loadResolveEnv(opts: FleetOptions): ResolveEnv {
  const home = os.homedir();
  const file = opts.sshConfigFile === undefined ? `${home}/.ssh/config` : opts.sshConfigFile;
  const text = file ? readWithIncludes(file, home, 0) : '';
  return { sshConfig: parseSshConfig(text), ctx: { home, localUser: os.userInfo().username }, opts };
}

/**
 * The config text with `Include` lines replaced by the files they name (relative paths from
 * ~/.ssh, `~`, and `*`/`?` in the file name), as OpenSSH reads them; 16 levels at most.
 */
function readWithIncludes(file: string, home: string, depth: number): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  if (depth >= 16) return text;
  return text.replace(/^[ \t]*include[ \t=]+(.+)$/gim, (_, args: string) =>
    args
      .trim()
      .split(/\s+/)
      .flatMap((a) => expandInclude(a.replace(/^"|"$/g, ''), home))
      .map((f) => readWithIncludes(f, home, depth + 1))
      .join('\n'),
  );
}

function expandInclude(arg: string, home: string): string[] {
  let p = arg.startsWith('~/') ? home + arg.slice(1) : arg;
  if (!path.isAbsolute(p)) p = path.join(home, '.ssh', p);
  const dir = path.dirname(p);
  const base = path.basename(p);
  if (!/[*?]/.test(base)) return [p];
  try {
    return readdirSync(dir).filter((n) => matchPatternList([base], n)).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}
