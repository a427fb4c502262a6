import { quote } from '../core/quote.js';
import type { Phase, Step } from '../actions/types.js';
import { qtag, undoPrelude } from './undo-lib.js';

// Quarantine planner: move paths into the host's quarantine with type, content hash, mode,
// owner, attributes, link target and link count recorded before the move (on the host and
// in the controller journal). Links are moved as links; FIFOs, sockets and devices are
// recorded and left in place. Nothing is ever deleted.

/** The sh line that quarantines one path (inside a script that starts with undoPrelude). */
export function quarantineLine(path: string): string {
  return `ms_quarantine ${quote(path)} ${quote(qtag(path))} || ms_fail=1`;
}

/** Wrap lines into one journaled step script that fails when any line failed. */
export function quarantineScript(quarantineDir: string, lines: string[]): string {
  return `${undoPrelude(quarantineDir)}ms_fail=0\n${lines.join('\n')}\nexit $ms_fail\n`;
}

/** One step quarantining the given paths (deduplicated, in order). */
export function planQuarantine(paths: string[], quarantineDir: string, phase: Phase = 'files'): Step[] {
  // a path inside a directory also listed goes first (else it would move away with the directory)
  const depth = (p: string) => p.split('/').filter(Boolean).length;
  const unique = [...new Set(paths)].map((p, i) => ({ p, i })).sort((a, b) => depth(b.p) - depth(a.p) || a.i - b.i).map((x) => x.p);
  if (!unique.length) return [];
  return [
    {
      phase,
      become: true,
      journal: true,
      description: `quarantine ${unique.length === 1 ? unique[0] : `${unique.length} files`} into ${quarantineDir}`,
      command: quarantineScript(quarantineDir, unique.map(quarantineLine)),
    },
  ];
}
