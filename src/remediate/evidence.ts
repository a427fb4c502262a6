import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { Artifact } from '../findings/types.js';
import { pathHex } from '../quarantine/undo-lib.js';
import type { RemediateContext } from './context.js';

// Evidence first (responders' order, step 1): every file an artifact names and every
// suspicious process's /proc/PID/exe (readable even when deleted) is read back with `cat`
// over SSH, before anything changes. Output frame, per item:
//   "MSE HEXPATH SIZE\n" + SIZE raw bytes + "\n"   |   "MSE-NONE HEXPATH\n"
// parsed by evidence-frame.ts and written under the run directory.

/** Bytes kept per evidence file (a real miner is a few MB). */
export const EVIDENCE_MAX_BYTES = 64 * 1024 * 1024;

/** The paths worth preserving for these artifacts, in order, without duplicates. */
export function evidencePaths(artifacts: Artifact[]): string[] {
  const out: string[] = [];
  for (const a of artifacts) {
    switch (a.type) {
      case 'process':
        out.push(`/proc/${a.pid}/exe`);
        if (a.exe && !a.exe.endsWith(' (deleted)')) out.push(a.exe);
        break;
      case 'cron-line':
      case 'file':
      case 'unit':
      case 'profile-line':
      case 'init-script':
      case 'authorized-key':
      case 'immutable':
      case 'hosts-entry':
        out.push(a.path);
        break;
      case 'preload':
        out.push(a.path, a.entry);
        break;
      case 'account':
        out.push('/etc/passwd', '/etc/shadow');
        break;
      case 'renamed-binary':
        out.push(a.replacement);
        break;
      case 'redis':
        if (a.configPath) out.push(a.configPath);
        break;
      default:
        break;
    }
  }
  return [...new Set(out.filter((p) => p.startsWith('/')))];
}

// A symlink outside /proc is recorded by its target, never read through (it may point at
// /etc/shadow); /proc/PID/exe is the kernel's link to the running binary and is read.
const EVIDENCE_LIB = String.raw`
ms_ev() {
  case "$1" in
    /proc/*) ;;
    *) if [ -L "$1" ]; then t=$(readlink -- "$1"; echo x); t=${'$'}{t%x}; t=${'$'}{t%?}; printf 'MSE-LINK %s %s\n' "$2" "$(printf '%s' "$t" | od -An -tx1 | tr -d ' \n')"; return 0; fi;;
  esac
  if [ -f "$1" ]; then
    t=$(mktemp "$Q/.evidence.XXXXXX") || return 1
    head -c ${EVIDENCE_MAX_BYTES} -- "$1" > "$t" 2>/dev/null
    n=$(wc -c < "$t" | tr -d ' ')
    printf 'MSE %s %s\n' "$2" "$n"; cat -- "$t"; printf '\n'; rm -f -- "$t"
  else printf 'MSE-NONE %s\n' "$2"; fi
}
`;

/** One step reading every evidence path back (nothing changes on the host). */
export function planEvidence(artifacts: Artifact[], ctx: Pick<RemediateContext, 'quarantineDir'>): Step[] {
  const paths = evidencePaths(artifacts);
  if (!paths.length) return [];
  return [
    {
      phase: 'evidence',
      become: true,
      description: `preserve evidence: copy ${paths.length} file(s) and process executables into the run directory`,
      // the copies wait in the quarantine directory, so nothing is left elsewhere if the step is cut short
      command: `Q=${quote(ctx.quarantineDir)}\numask 077\nmkdir -p -m 700 -- "$Q" || exit 1\n${EVIDENCE_LIB}${paths.map((p) => `ms_ev ${quote(p)} ${quote(pathHex(p))}`).join('\n')}\n`,
      capture: 'evidence',
    },
  ];
}
