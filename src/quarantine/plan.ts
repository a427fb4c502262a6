import { quote } from '../core/quote.js';
import type { Phase, Step } from '../actions/types.js';
import { pathHex, qtag, quarantinePrelude } from './shell-lib.js';

// Quarantine planner: move files into the host's quarantine directory with content, mode,
// owner, attributes and sha256 recorded (on the host in the manifest, and echoed for the
// run directory). Nothing is ever deleted.

/** The sh line that quarantines one path (inside a script that starts with the prelude). */
export function quarantineLine(path: string): string {
  return `ms_quarantine ${quote(path)} ${quote(pathHex(path))} ${quote(qtag(path))} || ms_fail=1`;
}

/** The sh line that keeps a copy of a file before it is edited. */
export function backupLine(path: string): string {
  return `ms_backup ${quote(path)} ${quote(pathHex(path))} ${quote(qtag(path))} || exit 1`;
}

/** Wrap quarantine lines into one step script that fails when any line failed. */
export function quarantineScript(quarantineDir: string, lines: string[]): string {
  return `${quarantinePrelude(quarantineDir)}ms_fail=0\n${lines.join('\n')}\nexit $ms_fail\n`;
}

/** One step quarantining the given paths (deduplicated, in order). */
export function planQuarantine(paths: string[], quarantineDir: string, phase: Phase = 'files'): Step[] {
  const unique = [...new Set(paths)];
  if (!unique.length) return [];
  return [
    {
      phase,
      become: true,
      description: `quarantine ${unique.length === 1 ? unique[0] : `${unique.length} files`} into ${quarantineDir}`,
      command: quarantineScript(quarantineDir, unique.map(quarantineLine)),
    },
  ];
}
