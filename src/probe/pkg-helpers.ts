import { shText } from './sh-text.js';

// Host-side package checks, as sh functions every section may call (they are part of the
// probe's helper block). Work is done in batch: the package database is read once per call
// (dpkg: every *.md5sums, *.list, status Conffiles and diversions in one awk), the files are
// hashed by one md5sum; rpm and apk answer through one `rpm -qf`/`rpm -V`, `apk info -W`/`apk audit`.
//
//   ms_pkg_manager                 sets MS_PKG: dpkg | rpm | apk | none
//   ms_pkg_check                   stdin: "REASONS<TAB>PATH" lines (absolute plain paths, see
//                                  ms_pkg_plain); stdout: "STATE<TAB>PKG<TAB>REASONS<TAB>PATH<TAB>COPYOF"
//                                  STATE: verified (matches the package checksum) | modified |
//                                  unowned | unknown (owned, no checksum to compare; or no
//                                  package database); PKG '-' when unowned or unknown;
//                                  COPYOF: for an unowned file, a package file with the same
//                                  md5 (a tool copied under another name), else '-'.
//                                  Entries whose REASONS is only "system-dir" are printed only
//                                  when unowned (the listing of a system directory).
//   ms_pkg_plain PATH              true when PATH is made of plain bytes (batchable)
export const PKG_HELPERS = shText`
ms_pkg_plain() { case $1 in /*) case $1 in *[!A-Za-z0-9_./:+,@%=-]*) return 1;; esac; return 0;; esac; return 1; }
ms_pkg_manager() {
  MS_PKG=none
  if [ -d /var/lib/dpkg/info ] && [ -r /var/lib/dpkg/status ] && command -v awk >/dev/null 2>&1; then MS_PKG=dpkg
  elif command -v rpm >/dev/null 2>&1 && rpm -q rpm >/dev/null 2>&1; then MS_PKG=rpm
  elif command -v apk >/dev/null 2>&1 && [ -d /lib/apk/db ]; then MS_PKG=apk
  fi
}
# dpkg, pass 1: which package owns each path and the md5s its packages list for it
ms_pkg_dpkg_own() {
  ms_mu=; [ -L /bin ] && ms_mu=1
  { cat; printf '@@END\n'; } | awk -F '\t' -v mu="$ms_mu" '
    function canon(p) { if (mu && p ~ /^\/(bin|sbin|lib|lib32|lib64|libx32)\//) return "/usr" p; return p }
    function pkgof(f,   s) { s = f; sub(/^.*\//, "", s); sub(/\.(md5sums|list)$/, "", s); sub(/:.*$/, "", s); return s }
    phase == 0 { if ($0 == "@@END") { phase = 1; next } if ($2 == "") next; p = canon($2); if (p in want) { if (index("," want[p] ",", "," $1 ",") == 0) want[p] = want[p] "," $1 } else { want[p] = $1; order[++n] = p } next }
    FILENAME ~ /\.md5sums$/ { m = substr($0, 1, 32); p = canon("/" substr($0, 35)); if (p in want) { md5[p] = md5[p] " " m; own[p] = pkgof(FILENAME) } next }
    FILENAME ~ /\.list$/ { p = canon($0); if ((p in want) && !(p in own)) own[p] = pkgof(FILENAME); next }
    FILENAME ~ /\/status$/ {
      if ($0 ~ /^Package: /) { pk = substr($0, 10); inc = 0; next }
      if ($0 ~ /^Conffiles:/) { inc = 1; next }
      if (inc && $0 ~ /^ \//) { split(substr($0, 2), w, " "); p = canon(w[1]); if (p in want) { own[p] = pk; if (w[3] != "obsolete") md5[p] = md5[p] " " w[2] } next }
      inc = 0; next
    }
    FILENAME ~ /\/diversions$/ { dv[++nd] = canon($0); next }
    END {
      for (i = 1; i + 2 <= nd; i += 3) { to = dv[i + 1]; if ((to in want) && !(to in own)) { own[to] = dv[i + 2]; nomd5[to] = 1 } }
      for (i = 1; i <= n; i++) {
        p = order[i]; o = (p in own) ? own[p] : "-"; m = ((p in md5) && !(p in nomd5)) ? substr(md5[p], 2) : "-"
        if (want[p] == "system-dir" && o != "-") continue
        print o "\t" m "\t" want[p] "\t" p
      }
    }' - /var/lib/dpkg/info/*.md5sums /var/lib/dpkg/info/*.list /var/lib/dpkg/status /var/lib/dpkg/diversions 2>/dev/null
}
ms_pkg_check() {
  [ -n "$MS_PKG" ] || ms_pkg_manager
  case $MS_PKG in
    dpkg) ms_pkg_dpkg;;
    rpm) ms_pkg_rpm;;
    apk) ms_pkg_apk;;
    *) awk -F '\t' '$1 != "system-dir" { print "unknown\t-\t" $1 "\t" $2 "\t-" }';;
  esac
}
ms_pkg_dpkg() {
  ms_po=$(ms_pkg_dpkg_own)
  # hash what a checksum can confirm, and every unowned file (a copy of a package file?)
  ms_ph=$(printf '%s\n' "$ms_po" | awk -F '\t' '($2 != "-") || ($1 == "-") { print $4 }')
  ms_pm=
  # shellcheck disable=SC2086
  [ -n "$ms_ph" ] && ms_pm=$(set -f; md5sum -- $ms_ph 2>/dev/null)
  ms_pc=$(printf '%s\n' "$ms_po" | awk -F '\t' '$1 == "-" { print 1; exit }')
  { printf '%s\n@@MD5\n%s\n@@END\n' "$ms_po" "$ms_pm"; } | awk -F '\t' '
    phase == 0 { if ($0 == "@@MD5") { phase = 1; next } if ($4 == "") next; own[$4] = $1; sums[$4] = $2; why[$4] = $3; order[++n] = $4; next }
    phase == 1 { if ($0 == "@@END") { phase = 2; next } m = substr($0, 1, 32); p = substr($0, 35); got[p] = m; if (own[p] == "-" && m != "d41d8cd98f00b204e9800998ecf8427e") seek[m] = 1; next }
    { m = substr($0, 1, 32); if ((m in seek) && !(m in copy)) copy[m] = "/" substr($0, 35); next }
    END {
      for (i = 1; i <= n; i++) {
        p = order[i]; o = own[p]; c = "-"
        if (o == "-") { s = "unowned"; if ((p in got) && (got[p] in copy)) c = copy[got[p]] }
        else if (sums[p] == "-") s = "unknown"
        else if (!(p in got)) s = "unknown"
        else if (index(" " sums[p] " ", " " got[p] " ")) s = "verified"
        else s = "modified"
        if (why[p] == "system-dir" && s != "unowned") continue
        print s "\t" o "\t" why[p] "\t" p "\t" c
      }
    }' - $([ -n "$ms_pc" ] && printf '%s ' /var/lib/dpkg/info/*.md5sums) 2>/dev/null
}
ms_pkg_rpm() {
  ms_pi=$(cat)
  ms_pp=$(printf '%s\n' "$ms_pi" | awk -F '\t' '{ print $2 }')
  # shellcheck disable=SC2086
  ms_po=$(set -f; rpm -qf --qf '%{NAME}\n' -- $ms_pp 2>/dev/null)
  ms_pv=$(printf '%s\n' "$ms_po" | grep -v ' ' | sort -u | tr '\n' ' ')
  # shellcheck disable=SC2086
  ms_pm=; [ -n "$ms_pv" ] && ms_pm=$(rpm -V --nomtime -- $ms_pv 2>/dev/null)
  { printf '%s\n@@OWN\n%s\n@@V\n%s\n' "$ms_pi" "$ms_po" "$ms_pm"; } | awk -F '\t' '
    phase == 0 { if ($0 == "@@OWN") { phase = 1; next } why[++n] = $1; path[n] = $2; next }
    phase == 1 { if ($0 == "@@V") { phase = 2; next } own[++k] = ($0 ~ / /) ? "-" : $0; next }
    { f = $0; sub(/^.* \//, "/", f); if (substr($0, 3, 1) == "5" || $0 ~ /^missing/) bad[f] = 1 }
    END {
      for (i = 1; i <= n; i++) {
        o = own[i]; p = path[i]; s = (o == "-") ? "unowned" : (p in bad) ? "modified" : "verified"
        if (why[i] == "system-dir" && s != "unowned") continue
        print s "\t" o "\t" why[i] "\t" p "\t-"
      }
    }'
}
ms_pkg_apk() {
  ms_pi=$(cat)
  ms_pm=$(apk audit --system 2>/dev/null)
  printf '%s\n' "$ms_pi" | while IFS='	' read -r ms_pw ms_pf; do
    ms_po=$(apk info -W -- "$ms_pf" 2>/dev/null | sed -n 's/^.* is owned by //p' | head -n 1)
    if [ -z "$ms_po" ]; then ms_ps=unowned; ms_po=-
    else case "
$ms_pm
" in *"
U \${ms_pf#/}
"*|*"
A \${ms_pf#/}
"*) ms_ps=modified;; *) ms_ps=verified;; esac
    fi
    [ "$ms_pw" = system-dir ] && [ $ms_ps != unowned ] && continue
    printf '%s\t%s\t%s\t%s\t-\n' $ms_ps "$ms_po" "$ms_pw" "$ms_pf"
  done
}
`;
