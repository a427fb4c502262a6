import { readFileSync, statSync } from 'node:fs';
import { InventoryError } from './errors.js';

// `--limit @failed.txt`: one pattern (usually a host name) per line, as Ansible's
// retry files and minesweep's failed-hosts files are written.

/** The patterns in a limit file's text (lines trimmed, empty lines dropped). */
export function parseLimitFile(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Read a limit file (the one read selectHosts does, only when a limit says @FILE). */
export function readLimitFile(path: string): string {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new InventoryError(`the limit file ${path} does not exist. Fix: check the path after @ (written by a previous run as failed-hosts).`, { file: path });
  }
  if (!isFile) throw new InventoryError(`--limit @${path} must name a file with one host per line, not a directory.`, { file: path });
  return readFileSync(path, 'utf8');
}
