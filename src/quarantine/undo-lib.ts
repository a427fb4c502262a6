import { encodeLossless } from '../core/bytes.js';
import { quote } from '../core/quote.js';

// The host half of the write-ahead journal: the sh functions every step that changes a file
// starts with. A journaled step runs twice (see actions/types.ts `journal`): once with
// MS_PHASE=record, when each function only writes the undo record of what it is about to
// change (and the backup copy of a file it is about to edit) into $Q/manifest, synced, and
// prints it; the controller appends those records to its own journal, fsynced; then with
// MS_PHASE=apply, when each function first checks that its record is there and that the path
// is still the object recorded (type, inode, device; content for a backup), then changes it.
// A host whose controller dies at any instant therefore holds, for every change made, a
// record written before it. Paths reach these functions only as quoted words; records store
// paths as hex of their exact bytes.
//
// Nothing here follows a link: a symlink is moved as a link, never chmodded, chowned, chattr-ed,
// copied or written through; FIFOs, sockets and devices are recorded and left in place. A file
// is moved into a quarantine directory on its own filesystem when one can be made safely (a
// rename: the inode, its hard links and its holes stay as they were), else into $Q.
//
// Manifest line (one per record; printed to stdout prefixed "MSU "):
//   v2 KIND PATH QPATH TYPE SHA MODE UID GID NAMES SIZE NLINK INO DEV ATTRS TARGET EPOCH ID
// KIND   move (PATH goes to QPATH) | backup (QPATH is a copy of PATH, about to be edited in
//        place) | rename (PATH goes to QPATH outside the quarantine) | meta (mode, owner or
//        attributes of PATH about to change) | special (a FIFO, socket or device: left alone) |
//        create (PATH does not exist and is about to be created)
// PATH, QPATH, NAMES ("user:group"), TARGET (link target): hex; "-" when none.
// TYPE   file | dir | link | fifo | socket | char | block | other | absent
// ID     s<step>-<16 hex>: the same in both phases of a step for the same kind and path.

export const UNDO_LIB = String.raw`
umask 077
MS_RUN=${'$'}{Q##*/}
ms_hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
ms_sum() { sha256sum | cut -d' ' -f1; }
ms_sync() { sync -- "$@" 2>/dev/null || sync; }
ms_id() { printf 's%s-%s' "$MS_SEQ" "$(printf '%s\n%s' "$1" "$2" | ms_sum | cut -c1-16)"; }
ms_init() {
  if [ -L "$Q" ]; then echo "MS-FAIL: the quarantine directory is a symlink" >&2; return 1; fi
  [ -d "$Q" ] || mkdir -p -m 700 -- "$Q" || return 1
  chmod 700 -- "$Q"
}
ms_parent() { d=$1; d=${'$'}{d%/*}; [ -n "$d" ] || d=/; }
ms_lsattr() { a=$(lsattr -d -- "$1" 2>/dev/null | sed -n '1s/ .*//p'); [ -n "$a" ] || a=-; printf '%s' "$a"; }
ms_target() { t=$(readlink -- "$1"; echo x); t=${'$'}{t%x}; t=${'$'}{t%?}; h=$(ms_hex "$t"); [ -n "$h" ] || h=-; printf '%s' "$h"; }
ms_meta() {
  m_sha=- m_attrs=- m_target=- m_mode=- m_uid=- m_gid=- m_names=- m_size=- m_nlink=- m_ino=- m_dev=-
  if [ -L "$1" ]; then m_type=link
  elif [ -f "$1" ]; then m_type=file
  elif [ -d "$1" ]; then m_type=dir
  elif [ -p "$1" ]; then m_type=fifo
  elif [ -S "$1" ]; then m_type=socket
  elif [ -c "$1" ]; then m_type=char
  elif [ -b "$1" ]; then m_type=block
  elif [ -e "$1" ]; then m_type=other
  else m_type=absent; return 0; fi
  m_st=$(stat -c '%a %u %g %s %h %i %d' -- "$1") || return 1
  read -r m_mode m_uid m_gid m_size m_nlink m_ino m_dev <<EOF
$m_st
EOF
  m_names=$(ms_hex "$(stat -c '%U:%G' -- "$1")")
  case $m_type in
    file) m_sha=$(ms_sum < "$1") || return 1; m_attrs=$(ms_lsattr "$1");;
    dir) m_attrs=$(ms_lsattr "$1");;
    link) m_target=$(ms_target "$1");;
  esac
}
ms_line() {
  if [ -n "$3" ]; then qh=$(ms_hex "$3"); else qh=-; fi
  printf 'v2 %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$1" "$(ms_hex "$2")" "$qh" "$m_type" "$m_sha" "$m_mode" "$m_uid" "$m_gid" "$m_names" "$m_size" "$m_nlink" "$m_ino" "$m_dev" "$m_attrs" "$m_target" "$(date +%s)" "$4"
}
ms_write() {
  ms_init || return 1
  printf '%s\n' "$1" >> "$Q/manifest" || return 1
  ms_sync "$Q/manifest" "$Q"
  printf 'MSU %s\n' "$1"
}
ms_rec() { grep -e "^v2 .* $1"'$' -- "$Q/manifest" 2>/dev/null | tail -n 1; }
ms_skip() {
  # the apply phase found nothing to change for a recorded path: the record says so, so a rollback leaves it alone
  [ -n "$(ms_rec "$1")" ] || return 0
  printf 'x2 skip %s\n' "$1" >> "$Q/manifest" && ms_sync "$Q/manifest"
}
ms_done=" "
ms_seen() {
  # the same directory entry reached by another path (through a symlinked directory such as
  # /bin -> usr/bin): the parent directory's inode and the name; a hard link elsewhere is another entry
  ms_parent "$1"; k="$(stat -L -c '%d:%i' -- "$d" 2>/dev/null)/$(ms_hex "${'$'}{1##*/}")"
  case "$ms_done" in *" $k "*) return 0;; esac
  ms_done="$ms_done$k "; return 1
}
ms_f() { printf '%s\n' "$1" | cut -d' ' -f"$2"; }
ms_locked() { case $m_attrs in *[ia]*) return 0;; esac; return 1; }
ms_unlock_here() { if ms_locked && { [ "$m_type" = file ] || [ "$m_type" = dir ]; }; then chattr -i -a -- "$1" || return 1; fi; }
ms_recorded() {
  r=$(ms_rec "$1")
  if [ -z "$r" ]; then printf 'MS-UNRECORDED %s: no undo record, not changed\n' "$2"; return 1; fi
  if [ "$m_type" != "$(ms_f "$r" 5)" ] || [ "$m_ino" != "$(ms_f "$r" 13)" ] || [ "$m_dev" != "$(ms_f "$r" 14)" ]; then
    printf 'MS-CHANGED-SINCE-RECORD %s: not changed\n' "$2"; return 1
  fi
  if [ "$(ms_f "$r" 2)" = backup ] && [ "$m_sha" != "$(ms_f "$r" 6)" ]; then printf 'MS-CHANGED-SINCE-RECORD %s: not changed\n' "$2"; return 1; fi
}
ms_pkgfile() {
  [ -f "$1" ] && [ ! -L "$1" ] && [ -d /var/lib/dpkg/info ] || return 1
  l=$(grep -lxF -- "$1" /var/lib/dpkg/info/*.list 2>/dev/null | head -n 1)
  [ -n "$l" ] || return 1
  pk=$(basename -- "$l" .list)
  want=$(P="${'$'}{1#/}" awk '$2 == ENVIRON["P"] { print $1; exit }' "/var/lib/dpkg/info/$pk.md5sums" 2>/dev/null)
  [ -n "$want" ] || want=$(dpkg-query -W -f='${'$'}{Conffiles}\n' "$pk" 2>/dev/null | P="$1" awk '$1 == ENVIRON["P"] { print $2; exit }')
  [ -n "$want" ] && [ "$(md5sum < "$1" | cut -d' ' -f1)" = "$want" ]
}
ms_safedir() {
  [ -L "$1" ] && return 1
  [ -d "$1" ] || mkdir -m 700 -- "$1" 2>/dev/null || return 1
  [ ! -L "$1" ] && [ "$(stat -c '%u %a' -- "$1")" = "$(id -u) 700" ]
}
ms_qdir() {
  ms_parent "$1"; qd=$Q
  ms_init || return 1
  dv=$(stat -c %d -- "$d" 2>/dev/null) || return 0
  [ "$dv" = "$(stat -c %d -- "$Q")" ] && return 0
  mp=$(stat -c %m -- "$d" 2>/dev/null) || return 0
  [ -n "$mp" ] || return 0
  [ "$mp" = / ] && mp=
  if ms_safedir "$mp/.minesweep-quarantine" && ms_safedir "$mp/.minesweep-quarantine/${'$'}{Q##*/}"; then qd=$mp/.minesweep-quarantine/${'$'}{Q##*/}; fi
}
ms_quarantine() {
  h=$(ms_hex "$1"); id=$(ms_id move "$1")
  if [ ! -e "$1" ] && [ ! -L "$1" ]; then [ "$MS_PHASE" = record ] || { printf 'MSQ-ABSENT %s\n' "$h"; ms_skip "$id"; }; return 0; fi
  # a recorded path was judged in the record phase; the package check runs again only without a record
  if [ "$MS_PHASE" = record ] || [ -z "$(ms_rec "$id")" ]; then
    if ms_pkgfile "$1"; then printf 'MS-PROTECTED unmodified package file %s\n' "$h"; return 0; fi
    if [ -d "$1" ] && [ ! -L "$1" ] && mountpoint -q -- "$1" 2>/dev/null; then printf 'MS-PROTECTED mount point %s\n' "$h"; return 0; fi
  fi
  ms_meta "$1" || return 1
  # the same file by another name (a /bin -> /usr/bin link on the way): moved once
  if ms_seen "$1"; then [ "$MS_PHASE" = record ] || ms_skip "$id"; printf 'MSQ-SAME %s\n' "$h"; return 0; fi
  case $m_type in
    fifo|socket|char|block|other)
      if [ "$MS_PHASE" = record ]; then ms_write "$(ms_line special "$1" '' "$id")"; return; fi
      ms_recorded "$id" "$h" || return 1
      printf 'MS-SPECIAL %s %s: recorded, left in place\n' "$m_type" "$h"; return 0;;
  esac
  ms_qdir "$1" || return 1
  qp=$qd/$2-$id
  # an exact name when the caller gives one and it is free (or already ours)
  if [ -n "$3" ]; then qp=$qd/$3; if [ -e "$qp" ] || [ -L "$qp" ]; then ms_rec "$id" | grep -qF " $(ms_hex "$qp") " || qp=$qd/$3-$id; fi; fi
  if [ "$MS_PHASE" = record ]; then ms_write "$(ms_line move "$1" "$qp" "$id")"; return; fi
  ms_recorded "$id" "$h" || return 1
  if [ -e "$qp" ] || [ -L "$qp" ]; then printf 'MS-FAIL quarantine name taken %s\n' "$h"; return 1; fi
  ms_unlock_here "$1" || return 1
  mv -- "$1" "$qp" || return 1
  if [ "$m_type" = file ] && [ "$m_nlink" = 1 ]; then chmod a-x -- "$qp"; fi
  printf 'MSQ moved %s\n' "$id"
}
ms_backup() {
  h=$(ms_hex "$1"); id=$(ms_id backup "$1")
  ms_meta "$1" || return 1
  [ "$m_type" = file ] || { printf 'MS-FAIL not a regular file %s\n' "$h"; return 1; }
  qp=$Q/$2-$id
  if [ "$MS_PHASE" = record ]; then
    ms_init || return 1
    cp -P --preserve=mode,ownership,timestamps -- "$1" "$qp" 2>/dev/null || cp -P -p -- "$1" "$qp" || return 1
    [ "$(ms_sum < "$qp")" = "$m_sha" ] || { printf 'MS-FAIL %s changed while it was copied\n' "$h"; return 1; }
    chmod a-x -- "$qp"
    ms_sync "$qp"
    ms_write "$(ms_line backup "$1" "$qp" "$id")"; return
  fi
  ms_recorded "$id" "$h"
}
ms_before() {
  h=$(ms_hex "$1"); kind=$2; id=$(ms_id "$kind" "$1")
  ms_meta "$1" || return 1
  if [ "$MS_PHASE" = record ]; then ms_write "$(ms_line "$kind" "$1" '' "$id")"; return; fi
  ms_recorded "$id" "$h"
}
ms_rename() {
  h=$(ms_hex "$1"); id=$(ms_id rename "$1")
  [ -e "$1" ] || [ -L "$1" ] || return 0
  if [ -e "$2" ] || [ -L "$2" ]; then printf 'MS-FAIL %s is taken: not renamed\n' "$(ms_hex "$2")"; return 1; fi
  ms_meta "$1" || return 1
  if [ "$MS_PHASE" = record ]; then ms_write "$(ms_line rename "$1" "$2" "$id")"; return; fi
  ms_recorded "$id" "$h" || return 1
  ms_unlock_here "$1" || return 1
  mv -- "$1" "$2" || return 1
  printf 'MSQ renamed %s\n' "$id"
}
ms_without() { LC_ALL=C grep -vxF "$@"; [ $? -le 1 ]; }
ms_drop_account() { N=$1 awk -F: '$1 != ENVIRON["N"]'; }
ms_rewrite() {
  # $1's new content is what the filter "$3 $4 …" prints from it (nothing to do when the same);
  # a symlink is never written through: with MS_LINKS=quarantine the link itself goes into
  # quarantine (its target is not a persistence file and stays as it is), else it is left
  f=$1; tag=$2; shift 2
  bid=$(ms_id backup "$f")
  if [ ! -e "$f" ] && [ ! -L "$f" ]; then echo MS-ABSENT; ms_skip "$bid"; return 0; fi
  if [ -L "$f" ]; then
    if [ "$MS_LINKS" != quarantine ]; then printf 'MS-LINK-KEPT %s is a symlink: not edited through it\n' "$(ms_hex "$f")"; ms_skip "$bid"; return 0; fi
    ms_quarantine "$f" "$tag" || return 1
    [ "$MS_PHASE" = record ] || echo "MS-CHANGED the link itself moved into quarantine, its target untouched"
    return 0
  fi
  [ -f "$f" ] || { printf 'MS-SKIPPED %s is not a regular file\n' "$(ms_hex "$f")"; ms_skip "$bid"; return 0; }
  if [ "$MS_PHASE" = record ] || [ -z "$(ms_rec "$bid")" ]; then
    if ms_pkgfile "$f"; then echo "MS-PROTECTED unmodified package file"; return 0; fi
  fi
  ms_init || return 1
  n=$(mktemp "$Q/.new.XXXXXX") || return 1
  "$@" < "$f" > "$n" || { rm -f -- "$n"; return 1; }
  if cmp -s -- "$n" "$f"; then rm -f -- "$n"; echo MS-NOTHING; [ "$MS_PHASE" = record ] || ms_skip "$bid"; return 0; fi
  ms_backup "$f" "$tag" || { rm -f -- "$n"; return 1; }
  if [ "$MS_PHASE" = record ]; then rm -f -- "$n"; return 0; fi
  ms_install "$f" "$n" || return 1
  echo MS-CHANGED
}
ms_install() {
  # $2 (a file in $Q) becomes the content of $1, whose record ms_meta/ms_backup just read: by
  # rename in $1's directory when it has one link (mode and owner kept), in place when it has
  # more (every link keeps the same file); a new file gets mode 0644 unless MS_MODE says
  ms_parent "$1"
  if [ -L "$1" ]; then rm -f -- "$2"; echo "MS-FAIL: it became a symlink: not written" >&2; return 1; fi
  if [ "$m_type" = file ] && [ "$m_nlink" != 1 ]; then
    chattr -i -a -- "$1" 2>/dev/null
    cat -- "$2" > "$1" && rm -f -- "$2" && return 0
    rm -f -- "$2"; return 1
  fi
  t=$(mktemp "$d/.ms-$MS_RUN.XXXXXX") || { rm -f -- "$2"; return 1; }
  if cat -- "$2" > "$t" && rm -f -- "$2"; then :; else rm -f -- "$2" "$t"; return 1; fi
  if [ "$m_type" = file ]; then chmod "$m_mode" -- "$t" && chown "$m_uid:$m_gid" -- "$t" && chattr -i -a -- "$1" 2>/dev/null; else chmod "${'$'}{MS_MODE:-0644}" -- "$t"; fi || { rm -f -- "$t"; return 1; }
  mv -f -- "$t" "$1" || { rm -f -- "$t"; return 1; }
  [ -L "$d" ] || touch -c -- "$d"
}
`;

/** The restore half: undo one record, checking everything it puts back. Output: "MSR OUTCOME ID DETAIL". */
export const RESTORE_LIB = String.raw`
ms_out() { printf 'MSR %s %s %s\n' "$1" "$r_id" "$2"; }
ms_asidename() { ms_n=$((ms_n + 1)); a=$r_aside/pre-rollback-$r_id-$(date +%s)-$ms_n; }
ms_aside() {
  ms_asidename
  mv -- "$1" "$a" || return 1
  printf 'MSR aside %s %s\n' "$r_id" "$(ms_hex "$a")"
}
ms_match() {
  # the object is the one recorded: same bytes (file), same target (link), a directory, or the same inode
  [ "$m_type" = "$r_type" ] || return 1
  case $r_type in file) [ "$m_sha" = "$r_sha" ];; link) [ "$r_target" = - ] || [ "$m_target" = "$r_target" ];; dir) true;; *) [ "$m_ino" = "$r_ino" ];; esac
}
ms_setmeta() {
  case $r_type in
    link) chown -h "$r_uid:$r_gid" -- "$r_path" ;;
    file|dir)
      [ ! -L "$r_path" ] || return 1
      chattr -i -a -- "$r_path" 2>/dev/null
      chown "$r_uid:$r_gid" -- "$r_path" && chmod "$r_mode" -- "$r_path" || return 1
      case $r_attrs in *a*) chattr +a -- "$r_path" || return 1;; esac
      case $r_attrs in *i*) chattr +i -- "$r_path" || return 1;; esac ;;
    fifo|socket|char|block) [ ! -L "$r_path" ] && chown "$r_uid:$r_gid" -- "$r_path" && chmod "$r_mode" -- "$r_path" ;;
  esac
}
ms_verify() {
  ms_meta "$r_path" || { ms_out failed "cannot read it back"; return 1; }
  v=
  [ "$m_type" = "$r_type" ] || v="$v type $m_type"
  if [ "$1" != meta ]; then
    [ "$r_type" != file ] || [ "$m_sha" = "$r_sha" ] || v="$v sha256 $m_sha"
    [ "$r_type" != link ] || [ "$r_target" = - ] || [ "$m_target" = "$r_target" ] || v="$v link-target"
  fi
  if [ "$r_type" != link ]; then [ "$m_mode" = "$r_mode" ] || v="$v mode $m_mode"; fi
  [ "$m_uid:$m_gid" = "$r_uid:$r_gid" ] || v="$v owner $m_uid:$m_gid"
  [ "$r_type" != file ] || [ "$m_nlink" = "$r_nlink" ] || v="$v links $m_nlink"
  case $r_type in file|dir)
    for x in i a; do
      case $r_attrs in *$x*) w=1;; *) w=0;; esac
      case $m_attrs in *$x*) g=1;; *) g=0;; esac
      [ "$w" = "$g" ] || v="$v attr-$x"
    done;;
  esac
  if [ -n "$v" ]; then ms_out mismatch "not as recorded:$v"; return 1; fi
}
ms_restore() {
  r_kind=$1 r_path=$2 r_q=$3 r_type=$4 r_sha=$5 r_mode=$6 r_uid=$7 r_gid=$8 r_attrs=$9; shift 9
  r_nlink=$1 r_target=$2 r_ino=$3 r_id=$4 r_aside=$5
  ms_init || return 1
  [ -n "$r_aside" ] || r_aside=$Q
  case $r_kind in
    move|rename) ms_restore_move ;;
    backup) ms_restore_backup ;;
    meta) ms_restore_meta ;;
    create) ms_restore_create ;;
    special) ms_meta "$r_path"; if [ "$m_type" = "$r_type" ]; then ms_out special "left in place"; else ms_out mismatch "the $r_type is gone"; return 1; fi ;;
    *) ms_out failed "unknown record kind $r_kind"; return 1 ;;
  esac
}
ms_restore_move() {
  if [ -e "$r_q" ] || [ -L "$r_q" ]; then
    ms_meta "$r_q"
    if ! ms_match; then
      ms_meta "$r_path"
      if ms_match; then st=present; else ms_out mismatch "what is at the quarantine path is not what was moved"; return 1; fi
    else
      ms_meta "$r_path"
      if [ "$m_type" != absent ]; then ms_aside "$r_path" || { ms_out failed "cannot move aside what took the path"; return 1; }; fi
      ms_parent "$r_path"
      if [ ! -d "$d" ]; then mkdir -p -- "$d" || { ms_out failed "parent directory missing"; return 1; }; fi
      mv -- "$r_q" "$r_path" || { ms_out failed "cannot move it back"; return 1; }
      st=restored
    fi
  else
    ms_meta "$r_path"
    if ms_match; then st=present; else ms_out missing "not in quarantine and not in place"; return 1; fi
  fi
  ms_setmeta || { ms_out failed "cannot set mode, owner or attributes"; return 1; }
  ms_verify && ms_out "$st"
}
ms_restore_backup() {
  if [ ! -f "$r_q" ] || [ -L "$r_q" ]; then ms_out missing "the backup copy is gone"; return 1; fi
  [ "$(ms_sum < "$r_q")" = "$r_sha" ] || { ms_out mismatch "the backup copy no longer matches its sha256"; return 1; }
  ms_meta "$r_path"
  if [ "$m_type" = file ] && [ "$m_sha" = "$r_sha" ]; then st=present
  elif [ "$m_type" = file ] && { [ "$m_ino" = "$r_ino" ] || [ "$r_nlink" != 1 ]; }; then
    ms_asidename
    cp -P -p -- "$r_path" "$a" && printf 'MSR aside %s %s\n' "$r_id" "$(ms_hex "$a")" || { ms_out failed "cannot keep a copy of the current file"; return 1; }
    chattr -i -a -- "$r_path" 2>/dev/null
    cat -- "$r_q" > "$r_path" || { ms_out failed "cannot write it back in place"; return 1; }
    st=restored
  else
    if [ "$m_type" != absent ]; then ms_aside "$r_path" || { ms_out failed "cannot move aside what took the path"; return 1; }; fi
    ms_parent "$r_path"
    t=$(mktemp "$d/.minesweep.XXXXXX") && cat -- "$r_q" > "$t" && mv -f -- "$t" "$r_path" || { rm -f -- "$t"; ms_out failed "cannot put it back"; return 1; }
    st=restored
  fi
  ms_setmeta || { ms_out failed "cannot set mode, owner or attributes"; return 1; }
  ms_strays
  ms_verify && ms_out "$st"
}
ms_strays() {
  # temporary files of this run an interrupted edit left next to the file
  ms_parent "$r_path"
  for s in "$d"/.ms-$MS_RUN.??????; do
    if [ -f "$s" ] && [ ! -L "$s" ]; then ms_aside "$s" && printf 'MSR stray %s\n' "$r_id"; fi
  done
}
ms_restore_meta() {
  ms_meta "$r_path"
  [ "$m_type" = "$r_type" ] || { ms_out mismatch "it is a $m_type now"; return 1; }
  ms_setmeta || { ms_out failed "cannot set mode, owner or attributes"; return 1; }
  ms_verify meta && ms_out restored
}
ms_restore_create() {
  ms_meta "$r_path"
  if [ "$m_type" = absent ]; then ms_out present "not there"; return 0; fi
  ms_aside "$r_path" || { ms_out failed "cannot move it into quarantine"; return 1; }
  ms_out removed "moved into quarantine (created by the run)"
}
`;

/** Hex of a path's exact host bytes (the manifest's path encoding). */
export function pathHex(path: string): string {
  return encodeLossless(path).toString('hex');
}

/** The first lines of a step that records its undo: Q set to the host's quarantine directory, then the library. */
export function undoPrelude(quarantineDir: string): string {
  return `Q=${quote(quarantineDir)}\n${UNDO_LIB}`;
}

/** A short tag for quarantined names: the base name reduced to safe characters. */
export function qtag(path: string): string {
  const base = path.split('/').filter(Boolean).pop() ?? 'root';
  return (base.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '') || 'file').slice(0, 40);
}

/** The host-side quarantine directory of a run. */
export function quarantineDirFor(runId: string): string {
  return `/var/lib/minesweep/quarantine/${runId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
