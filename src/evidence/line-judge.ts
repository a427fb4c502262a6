import type { Catalogue } from '../catalogue/types.js';
import type { TextFile } from '../facts/types.js';
import { familyByText, minerMarker, poolDomainIn } from './family-match.js';
import { decodePayloads, type Decoded } from './decode.js';
import { inPackagedPath, inTempDir, inWritableLocation } from './paths.js';

// Judging one line of a cron file, init script, profile or unit: is it a dropper?

export interface LineVerdict {
  /** short machine reasons: download-pipe-shell, base64-blob, dev-tcp, exec-temp, exec-hidden, family, miner-marker, pool-domain */
  reasons: string[];
  family?: string;
  /** a human explanation */
  why: string[];
  /** payloads decoded from the line (base64, gzip, hex) */
  decoded?: Decoded[];
}

const FETCH = String.raw`(?:curl|wget|fetch|lwp-download|tftp|busybox\s+wget|python[0-9.]*\s+-c\s+\S*urllib|perl\s+-e\s+\S*LWP|\bGET\b)`;
const SHELL = String.raw`(?:(?:/usr)?(?:/bin/)?(?:ba|da|z|k|a)?sh|python[0-9.]*|perl|php)\b`;
const DOWNLOAD_PIPE = new RegExp(String.raw`${FETCH}[^|;&\n]*\|\s*(?:sudo\s+)?${SHELL}`, 'i');
const SHELL_OF_DOWNLOAD = new RegExp(String.raw`${SHELL}\s+(?:-\w+\s+)*(?:-c\s+)?["']?\$\(\s*${FETCH}`, 'i');
const FETCH_TO_FILE = new RegExp(String.raw`${FETCH}[^|;&\n]*?(?:\s-o\s*|\s-O\s*|>\s*)([^\s;&|'"]+)`, 'i');
const BASE64 = /base64\s+(?:-d|--decode|-D)\b|\bb64decode\b|[A-Za-z0-9+/]{60,}={0,2}/;
const DEV_TCP = /\/dev\/(?:tcp|udp)\/\S+/;

// commands that run their file argument, and wrappers that run the command after them
const INTERPRETERS = /^(?:(?:\S*\/)?(?:ba|da|z|k|a)?sh|(?:\S*\/)?(?:python[0-9.]*|perl|php|ruby|node)|source|\.|exec)$/;
const WRAPPERS = /^(?:nohup|setsid|sudo|env|nice|ionice|timeout|exec|command|busybox|\S+=\S*)$/;

/** Does one command segment run `file` (as its program, or as an interpreter's script)? */
function segmentRuns(segment: string, file: string): boolean {
  const words = segment.trim().split(/\s+/).filter(Boolean);
  while (words.length && WRAPPERS.test(words[0]!) && words[0] !== 'exec') words.shift();
  if (words[0] === 'exec') words.shift();
  const base = file.slice(file.lastIndexOf('/') + 1);
  const isFile = (w: string | undefined) => w !== undefined && (w === file || w === `./${base}` || (file.includes('/') && w.replace(/^["']|["']$/g, '') === file));
  if (isFile(words[0])) return true;
  if (words[0] && INTERPRETERS.test(words[0])) return isFile(words.slice(1).find((w) => !w.startsWith('-')));
  return false;
}

/** `curl -o X …; sh X` / `wget -O X … && chmod +x X && ./X`: the fetched file runs later in the line (not `tar xf X`). */
function downloadsThenRuns(line: string): boolean {
  const m = FETCH_TO_FILE.exec(line);
  if (!m || m[1] === '-' || m[1] === '/dev/null') return false;
  const rest = line.slice(m.index + m[0].length);
  const sep = rest.search(/&&|;|\|\|/);
  if (sep < 0) return false;
  return rest.slice(sep).split(/&&|\|\||;|\||&/).some((seg) => segmentRuns(seg, m[1]!));
}

const KILLER = /\b(?:pkill|killall|kill\s+-9|xargs\s+(?:-\S+\s+)*kill|rm\s+-r?f|crontab\s+-r|chattr\s+-i)\b/;

/** A line that kills or removes other miners: the names it carries are its victims, not its family. */
export function killsCompetitors(line: string, cat: Catalogue): string[] {
  if (!KILLER.test(line)) return [];
  const names = new Set<string>();
  for (const f of cat.families)
    for (const n of [...f.processes.map((p) => p.name.replace(/\*$/, '')), ...f.strings])
      if (n.length >= 4 && line.includes(n)) names.add(n);
  return [...names];
}

// the same lines come back on every host (packaged init scripts, cron files): judge each once
const verdicts = new WeakMap<Catalogue, Map<string, LineVerdict>>();

/**
 * Reasons a line looks malicious; empty reasons when it does not: download-pipe-shell, base64-blob,
 * dev-tcp, exec-temp, exec-hidden, ld-preload, kills-competitors, family, miner-marker,
 * pool-domain, decoded (a payload decoded from the line has reasons of its own, which are added).
 * Memoised per catalogue (do not mutate the result).
 */
export function judgeLine(line: string, cat: Catalogue): LineVerdict {
  let memo = verdicts.get(cat);
  if (!memo) verdicts.set(cat, (memo = new Map()));
  let v = memo.get(line);
  if (!v) memo.set(line, (v = judge(line, cat)));
  return v;
}

function judge(line: string, cat: Catalogue, depth = 0): LineVerdict {
  const v: LineVerdict = { reasons: [], why: [] };
  const add = (r: string, why: string): void => {
    if (!v.reasons.includes(r)) v.reasons.push(r);
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
  const preload = /\bLD_PRELOAD=["']?([^\s"';]+)/.exec(line);
  if (preload && preload[1]!.split(':').some((l) => l && !inPackagedPath(l))) add('ld-preload', `sets LD_PRELOAD=${preload[1]}`);
  const victims = killsCompetitors(line, cat);
  if (victims.length) add('kills-competitors', `kills or removes competing miners (${victims.slice(0, 6).join(', ')})`);
  // a killer line names its victims: their names attribute no family
  const fam = victims.length ? null : familyByText(line, cat);
  if (fam) {
    add('family', `matches ${fam.why}`);
    v.family = fam.family.id;
  }
  const marker = victims.length ? null : minerMarker(line, cat);
  if (marker) {
    add('miner-marker', `carries the miner marker "${marker.text}"`);
    v.family ??= marker.family;
  }
  const pool = poolDomainIn(line, cat);
  if (pool) add('pool-domain', `names the mining pool ${pool}`);
  if (depth === 0)
    for (const d of decodePayloads(line)) {
      const inner = judge(d.text, cat, 1);
      v.decoded = [...(v.decoded ?? []), d];
      if (!inner.reasons.length) continue;
      add('decoded', `hides a ${d.how} payload that ${inner.why.join('; ')}`);
      for (const r of inner.reasons) if (!v.reasons.includes(r)) v.reasons.push(r);
      v.family ??= inner.family;
    }
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
