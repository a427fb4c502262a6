import { quote } from '../core/quote.js';
import { backupLine } from '../quarantine/plan.js';
import { quarantinePrelude } from '../quarantine/shell-lib.js';

// Remove exact lines from a file on the host, by content (not by line number), so a file
// that changed since the sweep is still edited correctly and legitimate lines stay. The
// original is copied into quarantine first; the new file replaces the old one by rename
// in the same directory (mode and owner kept), and the directory is touched so cron
// notices. Prints "MS-CHANGED" when it removed something.

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** A script removing every line equal to one of `lines` from `path`. */
export function removeLinesScript(path: string, lines: string[], quarantineDir: string): string {
  const pats = [...new Set(lines)].filter((l) => l !== '').flatMap((l) => ['-e', quote(l)]).join(' ');
  const f = quote(path);
  const d = quote(parentOf(path));
  return `${quarantinePrelude(quarantineDir)}
f=${f}
[ -f "$f" ] || { echo "MS-ABSENT"; exit 0; }
if ms_pkgfile "$f"; then echo "MS-PROTECTED unmodified package file"; exit 0; fi
LC_ALL=C grep -qxF ${pats} -- "$f" || { echo "MS-NOTHING"; exit 0; }
${backupLine(path)}
chattr -i -a -- "$f" 2>/dev/null
t=$(mktemp ${d}/.minesweep.XXXXXX) || exit 1
LC_ALL=C grep -vxF ${pats} -- "$f" > "$t"; [ $? -le 1 ] || { rm -f -- "$t"; exit 1; }
chmod --reference="$f" -- "$t" && chown --reference="$f" -- "$t" && mv -f -- "$t" "$f" || { rm -f -- "$t"; exit 1; }
touch -c -- ${d}
echo "MS-CHANGED"
`;
}
