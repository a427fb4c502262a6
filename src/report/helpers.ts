import type { HelperDelegate } from 'handlebars';
import Handlebars from 'handlebars';
import { escapeForTerminal } from '../core/terminal.js';
import { nameList } from './summary.js';
import { humanDuration, humanTime } from './time.js';
import { Trusted, visible } from './trusted.js';
import type { HostState } from './types.js';
import { stateWord } from './state-word.js';

// Template helpers. All return plain strings (Handlebars escapes them) except `trusted`,
// which emits only markup the report built itself (Trusted) and refuses anything else.

const PHASE_WORD: Record<string, string> = {
  evidence: 'Preserve evidence',
  contain: 'Block traffic to the pool and C2 addresses',
  unlock: 'Remove immutable flags from persistence files',
  persistence: 'Remove persistence (cron, services, start-up files)',
  access: 'Remove planted SSH keys and back-door accounts',
  processes: 'Stop the malware processes',
  files: 'Move malware files to quarantine',
  restore: 'Restore replaced system tools',
  verify: 'Check again',
  // hardening areas (minesweep harden)
  firewall: 'Close the firewall holes',
  redis: 'Secure Redis (bind, protected mode, password)',
  ssh: 'Lock down SSH (key allowlist, no password login)',
};

/** Plain words for a remediation phase used as a task name; other task names as they are. */
export const taskWord = (task: string) => PHASE_WORD[task] ?? task;

export { stateWord };

const args = (a: unknown[]) => a.slice(0, -1); // drop Handlebars' options object

export const HELPERS: Record<string, HelperDelegate> = {
  trusted: (v: unknown) => {
    if (v instanceof Trusted) return new Handlebars.SafeString(v.markup);
    throw new Error('report template: {{trusted}} got a value the report did not build; host text must be escaped');
  },
  visible: (v: unknown) => (v === undefined || v === null ? '' : visible(String(v))),
  multiline: (v: unknown) => (v === undefined || v === null ? '' : escapeForTerminal(String(v), { keepNewlines: true })),
  time: (iso: unknown) => humanTime(typeof iso === 'string' ? iso : ''),
  duration: (ms: unknown) => humanDuration(Number(ms)),
  plural: (...a: unknown[]) => {
    const [n, word] = args(a) as [number, string];
    return `${n} ${n === 1 ? word : word + 's'}`;
  },
  list: (...a: unknown[]) => {
    const [names, max] = args(a) as [string[], number | undefined];
    return visible(nameList(Array.isArray(names) ? names : [], typeof max === 'number' ? max : 4));
  },
  join: (...a: unknown[]) => {
    const [xs, sep] = args(a) as [unknown[], string | undefined];
    return Array.isArray(xs) ? xs.join(typeof sep === 'string' ? sep : ', ') : '';
  },
  short: (s: unknown) => (typeof s === 'string' ? s.slice(0, 12) + (s.length > 12 ? '…' : '') : ''),
  bytes: (n: unknown) => {
    const b = Number(n);
    return b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`;
  },
  stateWord: (...a: unknown[]) => stateWord(args(a)[0] as HostState),
  isPhase: (t: unknown) => typeof t === 'string' && t in PHASE_WORD,
  taskWord: (t: unknown) => visible(taskWord(String(t ?? ''))),
  eq: (...a: unknown[]) => args(a)[0] === args(a)[1],
  ne: (...a: unknown[]) => args(a)[0] !== args(a)[1],
  or: (...a: unknown[]) => args(a).some(Boolean),
  gt: (...a: unknown[]) => Number(args(a)[0]) > Number(args(a)[1]),
};
