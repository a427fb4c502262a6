import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import type { SshSettings } from './ssh-config.js';

// Effective settings from OpenSSH itself: `ssh -G [words] -- HOST` prints every directive
// after Host/Match/Include evaluation. Calls run in parallel (bounded) and are cached per
// distinct (words, host), so a fleet costs one fork per distinct destination, not per target.

export class SshGError extends Error {}

/** The ssh client to ask: $MINESWEEP_SSH (a path, or `none` for the built-in resolver), else `ssh` on PATH. */
export function findSsh(env: NodeJS.ProcessEnv = process.env): string | null {
  const forced = env['MINESWEEP_SSH'];
  if (forced !== undefined && forced !== '') return forced === 'none' ? null : forced;
  for (const dir of (env['PATH'] ?? '/usr/bin:/bin').split(':').filter(Boolean)) {
    const p = path.join(dir, 'ssh');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** `ssh -G` output -> settings (one entry per printed line; the first word is the key). */
export function parseSshG(text: string): SshSettings {
  const s: SshSettings = new Map();
  for (const line of text.split('\n')) {
    const m = /^(\S+) ?(.*)$/.exec(line);
    if (!m || m[1] === '') continue;
    const key = m[1]!.toLowerCase();
    s.set(key, [...(s.get(key) ?? []), m[2]!]);
  }
  return s;
}

export class OpenSshResolver {
  private cache = new Map<string, Promise<SshSettings>>();
  private limit: ReturnType<typeof pLimit>;
  /** forks made so far (for -v and the benchmark) */
  forks = 0;

  constructor(readonly bin: string, parallel = 8) {
    this.limit = pLimit(parallel);
  }

  /** Settings for `ssh WORDS HOST`; the same (words, host) is asked once. */
  settings(words: string[], host: string): Promise<SshSettings> {
    const key = JSON.stringify([words, host]);
    let p = this.cache.get(key);
    if (!p) {
      p = this.limit(() => this.run([...words, '--', host]));
      this.cache.set(key, p);
    }
    return p;
  }

  /** OpenSSH's own defaults (no config file): what a directive is compared with to tell it was set. */
  baseline(): Promise<SshSettings> {
    return this.settings(['-F', 'none'], 'minesweep-baseline.invalid');
  }

  private run(args: string[]): Promise<SshSettings> {
    this.forks++;
    return new Promise((resolve, reject) => {
      const child = execFile(this.bin, ['-G', ...args], { encoding: 'utf8', timeout: 30_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
        if (err) {
          const why = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Pseudo-terminal will not be allocated/.test(l)).join('; ');
          reject(new SshGError(`ssh -G ${args.join(' ')}: ${why || err.message}`));
        } else resolve(parseSshG(stdout));
      });
      child.stdin?.end();
    });
  }
}
