import path from 'node:path';
import { safeName } from '../run/safe-name.js';
import { mkdirPrivate, writePrivate } from '../run/private-files.js';

// Generated Redis passwords: kept only in runs/<id>/secrets/ (0600, never printed), and only
// when the step that used one set it (changed) or may have (failed midway).

/** Is the password of a step that ended with this status kept? */
export function passwordKept(status: 'ok' | 'changed' | 'failed' | string): boolean {
  return status !== 'ok';
}

/** Write each password 0600 under runs/<id>/secrets/ (the only place it is kept); the files written. */
export function storeSecrets(runDir: string, host: string, secrets: Map<number, string>): string[] {
  const dir = path.join(runDir, 'secrets');
  mkdirPrivate(dir);
  const files: string[] = [];
  for (const [port, pw] of secrets) {
    const file = path.join(dir, `redis-${safeName(host)}-${port}.txt`);
    writePrivate(file, pw + '\n');
    files.push(file);
  }
  return files;
}
