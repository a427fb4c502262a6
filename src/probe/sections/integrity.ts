import type { HostFacts, IntegrityFile, IntegrityFact, IntegrityReason, TextFile } from '../../facts/types.js';
import { byPath } from '../batch-records.js';
import type { ProbeRecord } from '../records.js';
import type { ParseContext, ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// Package integrity (helpers in ../pkg-helpers.ts): for every executable a process runs, a
// persistence entry names (cron lines, unit Exec* lines, rc.local, init.d and update-motd.d
// scripts, cron.* scripts, profile.d scripts, udev RUN, at jobs) or ld.so.preload lists, and
// for the tools a responder relies on: is it owned by a package, and does it match the
// package's checksum? Plus every unowned file and every hidden entry of the system binary and
// library directories. One table travels for all; stat, sha256 and lsattr only for the
// deviations (modified, unowned), and the content of deviating scripts up to the file cap.
const TOOLS = 'ps top pstree ls find netstat ss lsof crontab chattr lsattr curl wget sh bash dash sshd systemctl kill pkill pgrep ip iptables md5sum sha256sum stat readlink awk grep sed cat base64 mount login su sudo passwd useradd cron journalctl';

/**
 * The integrity candidates and the probe's one package check, as helpers of the whole script.
 * ms_pkg_pass (run once by script.ts before the sections, under a watchdog) prints the
 * ms_pkg_check table of the integrity candidates and of the configuration files the file
 * sections read (reason "config": crontabs and cron scripts, units, init, motd and udev
 * scripts, profiles). A file section ships a "config" file the table calls verified as
 * path + stat + sha256, not its content (script.ts ms_vsplit); the integrity section prints the
 * rest of the table.
 */
export const integrityHelpers = shText`
  MS_ISYS='/usr/bin /usr/sbin /usr/lib /usr/lib64 /usr/libexec /usr/lib32'
  for ms_d in /bin /sbin /lib /lib64; do [ -L $ms_d ] || MS_ISYS="$MS_ISYS $ms_d"; done
  ms_ml=/usr/lib/*-linux-gnu; [ -L /lib ] || ms_ml="$ms_ml /lib/*-linux-gnu"
  for ms_d in $ms_ml; do [ -d "$ms_d" ] && [ ! -L "$ms_d" ] && MS_ISYS="$MS_ISYS $ms_d"; done
  ms_ic() {
    if ms_pkg_plain "$2"; then printf '%s\t%s\n' "$1" "$2"; else { ms_r odd; ms_l reason "$1"; ms_v path "$2"; } >&3; fi
  }
  # ms_ireal REASON: stdin one path per line; each existing file (a link: what it resolves to) as a
  # candidate, executables and libraries only with flag x; links resolved by one readlink -f (GNU)
  ms_ireal() {
    ms_irl=
    while read -r ms_p; do
      [ -f "$ms_p" ] || continue
      if [ -L "$ms_p" ]; then
        if [ -n "$MS_RLZ" ] && ms_pkg_plain "$ms_p"; then ms_irl="$ms_irl $ms_p"; continue; fi
        ms_p=$(readlink -f "$ms_p" 2>/dev/null)
      fi
      ms_ireal1 "$1" "$2" "$ms_p"
    done
    [ -n "$ms_irl" ] || return 0
    # shellcheck disable=SC2086
    readlink -f -z -- $ms_irl 2>/dev/null | tr '\0' '\n' | while read -r ms_p; do [ -f "$ms_p" ] && ms_ireal1 "$1" "$2" "$ms_p"; done
  }
  ms_ireal1() {
    case $2 in x) case $3 in *.so|*.so.*) ;; *) [ -x "$3" ] || return 0;; esac;; esac
    ms_ic "$1" "$3"
  }
  # executables and libraries named in text, that exist
  ms_inamed() { ms_ireal "$1" x; }
  ms_ipaths() { grep -ohE '/[A-Za-z0-9_./+-]+' "$@" 2>/dev/null | sort -u; }
  ms_icand() {
    # what processes run
    if [ -n "$MS_RLZ" ]; then
      readlink -z /proc/[0-9]*/exe 2>/dev/null | tr '\0' '\n'
    else
      for ms_d in /proc/[0-9]*; do ms_link $ms_d/exe; [ -n "$ms_lt" ] && printf '%s\n' "$ms_lt"; done
    fi | sort -u | while read -r ms_p; do
      case $ms_p in *' (deleted)'|memfd:*|/memfd:*) continue;; esac
      [ -f "$ms_p" ] && ms_ic process "$ms_p"
    done
    # the responder's tools: the first executable file of each name on PATH (what command -v
    # names, found without a subshell per tool); kill is a builtin of sh, dash, bash and busybox
    # sh, for which command -v names no file
    for ms_t in @TOOLS@; do
      [ "$ms_t" = kill ] && continue
      ms_p=; ms_oifs=$IFS; IFS=:; set -f
      for ms_d in $PATH; do [ -f "$ms_d/$ms_t" ] && [ -x "$ms_d/$ms_t" ] && { ms_p=$ms_d/$ms_t; break; }; done
      IFS=$ms_oifs; set +f
      case $ms_p in /*) printf '%s\n' "$ms_p";; esac
    done | ms_ireal tool
    # ld.so.preload entries
    [ -r /etc/ld.so.preload ] && tr ' :' '\n\n' < /etc/ld.so.preload | while read -r ms_p; do [ -f "$ms_p" ] && ms_ic preload "$ms_p"; done
    # persistence: scripts that are themselves the entry, then programs named by entries
    for ms_p in /etc/init.d/* /etc/rc.local /etc/update-motd.d/* /etc/profile.d/* /etc/cron.hourly/* /etc/cron.daily/* /etc/cron.weekly/* /etc/cron.monthly/*; do
      [ -f "$ms_p" ] && ms_ic persistence "$ms_p"
    done
    {
      ms_ipaths /etc/crontab /etc/cron.d/* /var/spool/cron/crontabs/* /var/spool/cron/* /var/spool/cron/atjobs/* /var/spool/at/* /etc/rc.local
      for ms_d in /etc/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system /run/systemd/system /etc/systemd/user /usr/lib/systemd/user; do
        [ -d $ms_d ] && grep -rhE '^[[:space:]]*Exec[A-Za-z]*=' $ms_d 2>/dev/null
      done | grep -oE '/[A-Za-z0-9_./+-]+' | sort -u
      grep -rhE 'RUN[+]?=' /etc/udev/rules.d 2>/dev/null | grep -oE '/[A-Za-z0-9_./+-]+' | sort -u
    } | sort -u | ms_inamed persistence
    # every file and hidden entry of the system directories: unowned ones are printed
    for ms_d in $MS_ISYS; do
      [ -d "$ms_d" ] || continue
      for ms_p in "$ms_d"/* "$ms_d"/.[!.]* "$ms_d"/..?*; do
        case \${ms_p##*/} in
          .*) [ -e "$ms_p" ] || [ -L "$ms_p" ] || continue; ms_ic system-dir "$ms_p";;
          *) [ -f "$ms_p" ] && [ ! -L "$ms_p" ] && ms_ic system-dir "$ms_p";;
        esac
      done
    done
  }
  # configuration files the file sections read (plain names; apk answers one file at a time: not there)
  ms_ccand() {
    [ "$MS_PKG" = apk ] && return 0
    for ms_p in /etc/crontab /etc/anacrontab /etc/cron.d/* /etc/cron.hourly/* /etc/cron.daily/* /etc/cron.weekly/* /etc/cron.monthly/* \
      /etc/rc.local /etc/inittab /etc/init.d/* /etc/init/* /etc/update-motd.d/* /etc/udev/rules.d/* \
      /etc/profile /etc/bash.bashrc /etc/bashrc /etc/environment /etc/zshrc /etc/zsh/zshrc /etc/profile.d/* \
      /etc/systemd/system/* /etc/systemd/system/*/* /usr/local/lib/systemd/system/* /usr/local/lib/systemd/system/*/* \
      /lib/systemd/system/* /lib/systemd/system/*/* /usr/lib/systemd/system/* /usr/lib/systemd/system/*/* /etc/systemd/user/* /usr/lib/systemd/user/* /usr/lib/systemd/user/*/*; do
      [ -f "$ms_p" ] && [ ! -L "$ms_p" ] && ms_pkg_plain "$ms_p" && printf 'config\t%s\n' "$ms_p"
    done
  }
  # the pass prints the framed records of candidates with unusual names (ms_ic, fd 3), then
  # "@@TABLE NONCE" (the run's random boundary, which no name can hold) and the table;
  # script.ts keeps them apart (MS_PKGODD, MS_PKGT)
  ms_pkg_pass() {
    ms_pkg_manager
    { ms_pt=$({ ms_icand; ms_ccand; } | ms_pkg_check); } 3>&1
    printf '@@TABLE %s\n%s\n' "$MS_NONCE" "$ms_pt"
  }
`.replace('@TOOLS@', TOOLS);

const snippet = shText`
  MS_CAP=$MS_MAXFILES
  ms_pkg_manager
  exec 3>&1
  # the table and odd names of the probe's package pass when it finished; else a check of its own
  if [ -n "$MS_PKGDONE" ]; then printf '%s' "$MS_PKGODD"; ms_res=$MS_PKGT; else ms_res=$(ms_icand | ms_pkg_check); fi
  # configuration files only: the file sections carry them
  ms_res=$(printf '%s\n' "$ms_res" | awk -F '\t' -v OFS='\t' '$3 != "config" { sub(/,config$/, "", $3); sub(/,config,/, ",", $3); print }')
  ms_r integrity
  ms_l manager "$MS_PKG"
  ms_l dirs "$MS_ISYS"
  printf '@B table\n'; ms_encv "$ms_res$MS_NL"
  ms_dev=$(printf '%s\n' "$ms_res" | awk -F '\t' '$1 == "modified" || $1 == "unowned" { print $4 }' | head -n "$MS_MAXFILES")
  [ -n "$ms_dev" ] || return 0
  set -f
  # shellcheck disable=SC2086
  ms_dst=$(stat -c '%s %Y %a %f %n' -- $ms_dev 2>/dev/null)
  printf '@B stat\n'; ms_encv "$ms_dst$MS_NL"
  ms_dh=$(printf '%s\n' "$ms_dst" | awk -v cap="$MS_HASHCAP" '$4 ~ /^8/ && $1 <= cap { print $5 }')
  # shellcheck disable=SC2086
  [ -n "$ms_dh" ] && [ -n "$MS_HAVE_sha256sum" ] && { printf '@B sha256\n'; sha256sum -- $ms_dh 2>/dev/null | ms_enc; }
  # shellcheck disable=SC2086
  [ -n "$MS_HAVE_lsattr" ] && { printf '@B attrs\n'; lsattr -d -- $ms_dev 2>/dev/null | ms_enc; }
  ms_dsc=
  for ms_p in $(printf '%s\n' "$ms_dst" | awk -v cap="$MS_FILECAP" '$4 ~ /^8/ && $1 <= cap { print $5 }'); do
    ms_fl=; read -r ms_fl < "$ms_p" 2>/dev/null
    case $ms_fl in '#!'*) ms_dsc="$ms_dsc $ms_p";; esac
  done
  set +f
  # shellcheck disable=SC2086
  [ -n "$ms_dsc" ] && { MS_TAG=script; ms_files '' $ms_dsc; MS_TAG=; }
  return 0
`.replace('@TOOLS@', TOOLS);

const REASONS = new Set<IntegrityReason>(['process', 'persistence', 'tool', 'system-dir', 'preload']);
const STATES = new Set<IntegrityFile['state']>(['verified', 'modified', 'unowned', 'unknown']);
const MANAGERS = new Set<IntegrityFact['manager']>(['dpkg', 'rpm', 'apk', 'none']);

const reasonsOf = (s: string): IntegrityReason[] => [...new Set(s.split(',').filter((r): r is IntegrityReason => REASONS.has(r as IntegrityReason)))];

export function parseIntegrity(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const r = records.find((x) => x.kind === 'integrity');
  if (!r) return { integrity: missingIntegrity() };
  const m = r.str('manager') as IntegrityFact['manager'];
  const manager = MANAGERS.has(m) ? m : 'none';
  const files = new Map<string, IntegrityFile>();
  for (const line of r.str('table').split('\n')) {
    const [state, pkg, why, path, copy] = line.split('\t');
    if (!path || !STATES.has(state as IntegrityFile['state'])) continue;
    const f: IntegrityFile = { path, state: state as IntegrityFile['state'], reasons: reasonsOf(why ?? '') };
    if (pkg && pkg !== '-') f.package = pkg;
    if (copy && copy !== '-') f.copyOf = copy;
    files.set(path, f);
  }
  // names with unusual bytes are not checked against the database: listed as unknown
  for (const o of records.filter((x) => x.kind === 'odd')) {
    const path = o.str('path');
    if (!files.has(path)) files.set(path, { path, state: 'unknown', reasons: reasonsOf(o.str('reason')) });
  }
  for (const [path, st] of byPath(r.str('stat'), 5)) {
    const f = files.get(path);
    if (!f) continue;
    const [size = '0', mtime = '0', mode = '', raw = ''] = st.split(' ');
    f.size = Number(size) || 0;
    f.mtime = Number(mtime) || 0;
    f.mode = mode.padStart(4, '0');
    f.type = (parseInt(raw, 16) & 0xf000) === 0x4000 ? 'dir' : (parseInt(raw, 16) & 0xf000) === 0x8000 ? 'file' : 'other';
  }
  for (const line of r.str('sha256').split('\n')) {
    const hit = /^([0-9a-f]{64}) {2}(\/.*)$/.exec(line);
    const f = hit ? files.get(hit[2]!) : undefined;
    if (f) f.sha256 = hit![1]!;
  }
  for (const [path, attrs] of byPath(r.str('attrs'), 2)) {
    const f = files.get(path);
    if (f) f.attrs = attrs;
  }
  const scripts: TextFile[] = textFiles(records, ctx, (t) => t === 'script');
  for (const s of scripts) {
    const f = files.get(s.path);
    if (f) f.content = s.content;
  }
  return { integrity: { manager, dirs: r.str('dirs').split(' ').filter(Boolean), files: [...files.values()] } };
}

/** No integrity section: nothing is known, which is never "fine". */
export const missingIntegrity = (): IntegrityFact => ({ manager: 'none', dirs: [], files: [], missing: true });

export const integritySection: ProbeSection = {
  name: 'integrity',
  snippet,
  timeoutSeconds: 60,
  parse: parseIntegrity,
  missing: () => ({ integrity: missingIntegrity() }),
};
