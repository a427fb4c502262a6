import type { Catalogue } from '../../catalogue/types.js';
import type { TextFile } from '../../facts/types.js';
import { familyByText, minerMarker, poolDomainIn } from './family-match.js';
import { inTempDir, inWritableLocation } from './paths.js';

// Judging one line of a cron file, init script, profile or unit: is it a dropper?

export interface LineVerdict {
  /** short machine reasons: download-pipe-shell, base64-blob, dev-tcp, exec-temp, exec-hidden, family, miner-marker, pool-domain */
  reasons: string[];
  family?: string;
  /** a human explanation */
  why: string[];
}

const FETCH = String.raw`(?:curl|wget|fetch|lwp-download|tftp|busybox\s+wget|python[0-9.]*\s+-c\s+\S*urllib|perl\s+-e\s+\S*LWP|\bGET\b)`;
const SHELL = String.raw`(?:(?:/usr)?(?:/bin/)?(?:ba|da|z|k|a)?sh|python[0-9.]*|perl|php)\b`;
const DOWNLOAD_PIPE = new RegExp(String.raw`${FETCH}[^|;&\n]*\|\s*(?:sudo\s+)?${SHELL}`, 'i');
const SHELL_OF_DOWNLOAD = new RegExp(String.raw`${SHELL}\s+(?:-\w+\s+)*(?:-c\s+)?["']?\$\(\s*${FETCH}`, 'i');
const FETCH_TO_FILE = new RegExp(String.raw`${FETCH}[^|;&\n]*?(?:\s-o\s*|\s-O\s*|>\s*)([^\s;&|'"]+)`, 'i');
const BASE64 = /base64\s+(?:-d|--decode|-D)\b|\bb64decode\b|[A-Za-z0-9+/]{60,}={0,2}/;
const DEV_TCP = /\/dev\/(?:tcp|udp)\/\S+/;

/** `curl -o X …; sh X` / `wget -O X … && chmod +x X && X`: the fetched file runs later in the line. */
function downloadsThenRuns(line: string): boolean {
  const m = FETCH_TO_FILE.exec(line);
  if (!m || m[1] === '-' || m[1] === '/dev/null') return false;
  const rest = line.slice(m.index + m[0].length);
  const sep = rest.search(/&&|;|\|\|/);
  return sep >= 0 && rest.slice(sep).includes(m[1]!);
}

// the same lines come back on every host (packaged init scripts, cron files): judge each once
const verdicts = new WeakMap<Catalogue, Map<string, LineVerdict>>();

/** Reasons a line looks malicious; empty reasons when it does not. Memoised per catalogue (do not mutate the result). */
export function judgeLine(line: string, cat: Catalogue): LineVerdict {
  let memo = verdicts.get(cat);
  if (!memo) verdicts.set(cat, (memo = new Map()));
  let v = memo.get(line);
  if (!v) memo.set(line, (v = judge(line, cat)));
  return v;
}

function judge(line: string, cat: Catalogue): LineVerdict {
  const v: LineVerdict = { reasons: [], why: [] };
  const add = (r: string, why: string): void => {
    v.reasons.push(r);
    v.why.push(why);
  };
  if (DOWNLOAD_PIPE.test(line) || SHELL_OF_DOWNLOAD.test(line)) add('download-pipe-shell', 'downloads a script and pipes it to a shell');
  else if (downloadsThenRuns(line)) add('download-pipe-shell', 'downloads a file and runs it');
  if (BASE64.test(line)) add('base64-blob', 'decodes or carries a base64 blob');
  if (DEV_TCP.test(line)) add('dev-tcp', 'talks over /dev/tcp (reverse shell / download without curl)');
  const exec = /(?:^|[\s;&|'"=(])(\/[^\s'";&|()<>]+)/g;
  for (const m of /^\s*(?:\S+\s+){0,6}?(?:rm|find|tmpreaper|tmpwatch)\s/.test(line) ? [] : line.matchAll(exec)) {
    const redirected = /[<>]\s*$/.test(line.slice(0, m.index + m[0].length - m[1]!.length));
    // a concrete file: not a glob, not a shell variable or template, not a directory
    const concrete = !/[*?[$`]|XXX/.test(m[1]!) && !m[1]!.endsWith('/');
    if (!redirected && concrete && !m[1]!.startsWith('//') && inWritableLocation(m[1]!)) {
      if (inTempDir(m[1]!)) add('exec-temp', `runs ${m[1]} from a world-writable temp directory`);
      else add('exec-hidden', `runs ${m[1]} from a hidden directory`);
      break;
    }
  }
  const fam = familyByText(line, cat);
  if (fam) {
    add('family', `matches ${fam.why}`);
    v.family = fam.family.id;
  }
  const marker = minerMarker(line, cat);
  if (marker) {
    add('miner-marker', `carries the miner marker "${marker.text}"`);
    v.family ??= marker.family;
  }
  const pool = poolDomainIn(line, cat);
  if (pool) add('pool-domain', `names the mining pool ${pool}`);
  return v;
}

export interface FileLine {
  lineNumber: number;
  line: string;
}

/** Lines of a text file that carry commands: no blanks, no comments. */
const fileLines = new WeakMap<TextFile, FileLine[]>();

export function commandLines(file: TextFile): FileLine[] {
  let lines = fileLines.get(file);
  if (!lines) fileLines.set(file, (lines = splitCommandLines(file)));
  return lines;
}

function splitCommandLines(file: TextFile): FileLine[] {
  return file.content
    .split('\n')
    .map((line, i) => ({ lineNumber: i + 1, line }))
    .filter(({ line }) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}
