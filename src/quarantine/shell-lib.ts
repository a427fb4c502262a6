import { encodeLossless } from '../core/bytes.js';
import { quote } from '../core/quote.js';

// The sh functions every quarantine/rollback step starts with. Paths reach them only as
// quoted words (core/quote.ts); the manifest stores each path as hex of its exact bytes,
// so a hostile name (newline, quote, escape, invalid UTF-8) cannot break a record.
//
// Manifest line (one per record, also echoed to stdout prefixed "MSQ "):
//   v1 KIND HEXPATH QNAME SHA256 MODE UID GID USER GROUP SIZE ATTRS EPOCH
// KIND: moved (file moved into quarantine), backup (copy taken before an edit),
//       renamed (QNAME is "hex:"+HEX of the name it was renamed from).

export const QUARANTINE_LIB = String.raw`
ms_init() { umask 077; mkdir -p -- "$Q" && chmod 700 -- "$Q"; }
ms_meta() {
  m_attrs=$(lsattr -d -- "$1" 2>/dev/null | sed -n '1s/ .*//p'); [ -n "$m_attrs" ] || m_attrs=-
  m_stat=$(stat -c '%a %u %g %U %G %s' -- "$1") || return 1
  if [ -f "$1" ] && [ ! -L "$1" ]; then m_sha=$(sha256sum < "$1" | cut -d' ' -f1); else m_sha=-; fi
}
ms_record() {
  ms_line="v1 $1 $2 $3 $m_sha $m_stat $m_attrs $(date +%s)"
  printf '%s\n' "$ms_line" >> "$Q/manifest" && printf 'MSQ %s\n' "$ms_line"
}
ms_qname() { printf '%s-%s-%s' "$1" "$(date +%s%N)" "$$"; }
ms_pkgfile() {
  [ -f "$1" ] && [ ! -L "$1" ] && [ -d /var/lib/dpkg/info ] || return 1
  l=$(grep -lxF -- "$1" /var/lib/dpkg/info/*.list 2>/dev/null | head -n 1)
  [ -n "$l" ] || return 1
  pk=$(basename -- "$l" .list)
  want=$(P="${'$'}{1#/}" awk '$2 == ENVIRON["P"] { print $1; exit }' "/var/lib/dpkg/info/$pk.md5sums" 2>/dev/null)
  [ -n "$want" ] || want=$(dpkg-query -W -f='${'$'}{Conffiles}\n' "$pk" 2>/dev/null | P="$1" awk '$1 == ENVIRON["P"] { print $2; exit }')
  [ -n "$want" ] && [ "$(md5sum < "$1" | cut -d' ' -f1)" = "$want" ]
}
ms_quarantine() {
  [ -e "$1" ] || [ -L "$1" ] || { printf 'MSQ-ABSENT %s\n' "$2"; return 0; }
  if ms_pkgfile "$1"; then printf 'MS-PROTECTED unmodified package file %s\n' "$2"; return 0; fi
  if [ -d "$1" ] && mountpoint -q -- "$1" 2>/dev/null; then printf 'MS-PROTECTED mount point %s\n' "$2"; return 0; fi
  ms_init && ms_meta "$1" || return 1
  qn=$(ms_qname "$3")
  chattr -i -a -- "$1" 2>/dev/null
  mv -- "$1" "$Q/$qn" || return 1
  if [ -f "$Q/$qn" ] && [ ! -L "$Q/$qn" ]; then chmod a-x -- "$Q/$qn"; fi
  ms_record moved "$2" "$qn"
}
ms_backup() {
  [ -f "$1" ] || return 0
  ms_init && ms_meta "$1" || return 1
  qn=$(ms_qname "$3")
  cp -p -- "$1" "$Q/$qn" || return 1
  chmod a-x -- "$Q/$qn"
  ms_record backup "$2" "$qn"
}
ms_rename() {
  [ -e "$1" ] || return 0
  ms_init && ms_meta "$1" || return 1
  chattr -i -a -- "$1" 2>/dev/null; chattr -i -a -- "$2" 2>/dev/null
  mv -f -- "$1" "$2" || return 1
  ms_record renamed "$4" "hex:$3"
}
ms_restore() {
  src="$Q/$2"
  [ -e "$src" ] || [ -L "$src" ] || { printf 'MSR-MISSING %s\n' "$8"; return 1; }
  if [ -e "$1" ] || [ -L "$1" ]; then
    chattr -i -a -- "$1" 2>/dev/null
    if [ "$3" != - ] && [ -f "$1" ] && [ ! -L "$1" ] && [ "$(sha256sum < "$1" | cut -d' ' -f1)" = "$3" ]; then
      printf 'MSR-PRESENT %s\n' "$8"
    else
      mv -- "$1" "$Q/$(ms_qname pre-rollback)" || return 1
      cp -a -- "$src" "$1" || return 1
      printf 'MSR-CHANGED %s\n' "$8"
    fi
  else
    mkdir -p -- "$9" && cp -a -- "$src" "$1" || return 1
    printf 'MSR-CHANGED %s\n' "$8"
  fi
  if [ -L "$1" ]; then chown -h "$5:$6" -- "$1"; else chown "$5:$6" -- "$1" && chmod "$4" -- "$1" || return 1; fi
  case "$7" in *a*) chattr +a -- "$1" || return 1;; esac
  case "$7" in *i*) chattr +i -- "$1" || return 1;; esac
  if [ "$3" != - ]; then
    got=$(sha256sum < "$1" | cut -d' ' -f1)
    [ "$got" = "$3" ] || { printf 'MSR-MISMATCH %s %s\n' "$8" "$got"; return 1; }
  fi
}
ms_unrename() {
  if [ -e "$2" ] || [ -L "$2" ]; then printf 'MSR-PRESENT %s\n' "$3"; return 0; fi
  [ -e "$1" ] || { printf 'MSR-MISSING %s\n' "$3"; return 1; }
  mv -- "$1" "$2" && printf 'MSR-CHANGED %s\n' "$3"
}
`;

/** Hex of a path's exact host bytes (the manifest's path encoding). */
export function pathHex(path: string): string {
  return encodeLossless(path).toString('hex');
}

/** The first lines of a quarantine step: the library and Q set to the host directory. */
export function quarantinePrelude(quarantineDir: string): string {
  return `Q=${quote(quarantineDir)}\n${QUARANTINE_LIB}`;
}

/** A short tag for quarantined names: the base name reduced to safe characters. */
export function qtag(path: string): string {
  const base = path.split('/').filter(Boolean).pop() ?? 'root';
  return (base.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '') || 'file').slice(0, 40);
}

/** sh function printing the hex of its argument's bytes (for paths found at run time). */
export const HEX_LIB = String.raw`
ms_hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
`;
