import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { Artifact } from '../findings/types.js';
import { pathHex } from '../quarantine/shell-lib.js';
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

const EVIDENCE_LIB = String.raw`
ms_ev() {
  if [ -f "$1" ]; then
    t=$(mktemp) || return 1
    head -c ${EVIDENCE_MAX_BYTES} -- "$1" > "$t" 2>/dev/null
    n=$(wc -c < "$t" | tr -d ' ')
    printf 'MSE %s %s\n' "$2" "$n"; cat -- "$t"; printf '\n'; rm -f -- "$t"
  else printf 'MSE-NONE %s\n' "$2"; fi
}
`;

/** One step reading every evidence path back (nothing changes on the host). */
export function planEvidence(artifacts: Artifact[], _ctx?: RemediateContext): Step[] {
  const paths = evidencePaths(artifacts);
  if (!paths.length) return [];
  return [
    {
      phase: 'evidence',
      become: true,
      description: `preserve evidence: copy ${paths.length} file(s) and process executables into the run directory`,
      command: `${EVIDENCE_LIB}${paths.map((p) => `ms_ev ${quote(p)} ${quote(pathHex(p))}`).join('\n')}\n`,
      capture: 'evidence',
    },
  ];
}
