import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseSshConfig } from './ssh-config.js';
import type { ResolveEnv } from './target.js';
import type { FleetOptions } from './types.js';

/** Read ~/.ssh/config (or the given file; a missing file is an empty config) once per run. */
export function loadResolveEnv(opts: FleetOptions): ResolveEnv {
  const home = os.homedir();
  const file = opts.sshConfigFile === undefined ? `${home}/.ssh/config` : opts.sshConfigFile;
  let text = '';
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      /* no ssh config */
    }
  }
  return { sshConfig: parseSshConfig(text), ctx: { home, localUser: os.userInfo().username }, opts };
}
