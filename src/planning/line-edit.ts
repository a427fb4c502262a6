import { quote } from '../core/quote.js';
import { qtag, undoPrelude } from '../quarantine/undo-lib.js';

// Remove exact lines from a file on the host, by content (not by line number), so a file
// that changed since the sweep is still edited correctly and legitimate lines stay. A copy of
// the original goes into quarantine first (recorded before the edit); a file with one link is
// replaced by rename in its directory (mode and owner kept), one with more is rewritten in
// place so every link keeps the same file. A symlink is never edited through: with
// links 'quarantine' the link itself goes into quarantine (its target untouched), with 'keep'
// it is left and said so. Prints "MS-CHANGED" when it changed something.

export type LinkPolicy = 'quarantine' | 'keep';

/** The sh lines removing every line equal to one of `lines` from `path` (inside an undoPrelude script). */
export function removeLinesLines(path: string, lines: string[], links: LinkPolicy): string {
  const pats = [...new Set(lines)].filter((l) => l !== '').flatMap((l) => ['-e', quote(l)]).join(' ');
  if (!pats) return 'echo MS-NOTHING\n';
  return `MS_LINKS=${links}\nms_rewrite ${quote(path)} ${quote(qtag(path))} ms_without ${pats} || exit 1\n`;
}

/** A journaled step script removing every line equal to one of `lines` from `path`. */
export function removeLinesScript(path: string, lines: string[], quarantineDir: string, links: LinkPolicy = 'keep'): string {
  return `${undoPrelude(quarantineDir)}${removeLinesLines(path, lines, links)}`;
}
