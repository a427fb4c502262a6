import { decodeLossless } from '../core/bytes.js';
import { quote } from '../core/quote.js';
import type { CommandState, FileState, Gathered, GatherRequest } from './module-types.js';

// What modules ask to know about a host, collected in ONE exec: a POSIX sh script that
// prints one framed line per fact. Host text (paths, link targets, contents, command output)
// comes back hex-encoded (od), so newlines, quotes, NULs and escape codes in it cannot
// break the framing. Parsing is pure (tested on recorded output).

/** Largest file content gathered (bigger files: stat only, content left undefined). */
export const MAX_CONTENT = 4 * 1024 * 1024;

const HEX = 'ms_hex';

export const emptyGathered = (): Gathered => ({ files: {}, commands: {} });

/** Merge several requests into one (paths and command names deduplicated). */
export function mergeRequests(...reqs: GatherRequest[]): GatherRequest {
  const stat = new Set<string>();
  const read = new Set<string>();
  const commands: Record<string, string> = {};
  for (const r of reqs) {
    r.stat?.forEach((p) => stat.add(p));
    r.read?.forEach((p) => read.add(p));
    Object.assign(commands, r.commands ?? {});
  }
  return { stat: [...stat].filter((p) => !read.has(p)), read: [...read], commands };
}

export function isEmptyRequest(r: GatherRequest): boolean {
  return !r.stat?.length && !r.read?.length && !Object.keys(r.commands ?? {}).length;
}

/** The one script that gathers everything in `req` (run with `sh -c` semantics). */
export function gatherScript(req: GatherRequest): string {
  const lines: string[] = [
    'LC_ALL=C; export LC_ALL',
    "ms_hex() { od -An -v -tx1 | tr -d ' \\n'; }",
    'd=$(mktemp -d 2>/dev/null || { d=/tmp/.msg.$$; mkdir -m 700 "$d" && echo "$d"; })',
    "trap 'rm -rf \"$d\"' EXIT",
  ];
  const files = [...(req.read ?? []).map((p) => ({ p, read: true })), ...(req.stat ?? []).map((p) => ({ p, read: false }))];
  files.forEach(({ p, read }, i) => {
    const q = quote(p);
    lines.push(
      `if [ -e ${q} ] || [ -L ${q} ]; then`,
      `  if [ -L ${q} ]; then t=link; elif [ -d ${q} ]; then t=directory; elif [ -f ${q} ]; then t=file; else t=other; fi`,
      `  echo "@F ${i} $t"`,
      `  echo "@S ${i} $(stat -c '%a %u %g %s %U %G' -- ${q} 2>/dev/null)"`,
      `  echo "@A ${i} $(lsattr -d -- ${q} 2>/dev/null | cut -d' ' -f1)"`,
      `  [ "$t" = link ] && echo "@L ${i} $(readlink -- ${q} | ${HEX})"`,
      ...(read
        ? [
            `  if [ "$t" = file ] && [ "$(stat -c %s -- ${q} 2>/dev/null || echo 0)" -le ${MAX_CONTENT} ]; then`,
            `    if c=$(${HEX} < ${q}); then echo "@C ${i} $c"; fi`,
            `    echo "@H ${i} $(sha256sum < ${q} 2>/dev/null | cut -d' ' -f1)"`,
            `  fi`,
          ]
        : []),
      `else echo "@F ${i} -"; fi`,
    );
  });
  Object.entries(req.commands ?? {}).forEach(([, cmd], i) => {
    lines.push(
      `( ${cmd}\n) >"$d/o" 2>"$d/e" </dev/null; echo "@R ${i} $?"`,
      `echo "@O ${i} $(${HEX} < "$d/o")"`,
      `echo "@E ${i} $(${HEX} < "$d/e")"`,
    );
  });
  lines.push('exit 0');
  return lines.join('\n') + '\n';
}

const unhex = (h: string) => decodeLossless(Buffer.from(h.trim(), 'hex'));

/** Parse the script's output back into per-path and per-command state. */
export function parseGather(req: GatherRequest, stdout: string): Gathered {
  const out = emptyGathered();
  const files = [...(req.read ?? []), ...(req.stat ?? [])];
  const names = Object.keys(req.commands ?? {});
  const fs: FileState[] = files.map((p) => ({ path: p, exists: false }));
  const cs: CommandState[] = names.map(() => ({ code: -1, stdout: '', stderr: '' }));
  for (const line of stdout.split('\n')) {
    const m = /^@([A-Z]) (\d+) ?(.*)$/.exec(line);
    if (!m) continue;
    const i = Number(m[2]);
    const v = m[3] ?? '';
    const f = fs[i];
    const c = cs[i];
    switch (m[1]) {
      case 'F':
        if (f && v !== '-') {
          f.exists = true;
          f.type = (['file', 'directory', 'link'].includes(v) ? v : 'other') as FileState['type'];
        }
        break;
      case 'S': {
        const [mode, uid, gid, size, owner, group] = v.split(' ');
        if (f && mode) {
          f.mode = mode.padStart(4, '0');
          f.uid = Number(uid);
          f.gid = Number(gid);
          f.size = Number(size);
          f.owner = owner ?? '';
          f.group = group ?? '';
        }
        break;
      }
      case 'A': if (f) f.attrs = v.trim(); break;
      case 'L': if (f) f.linkTarget = unhex(v).replace(/\n$/, ''); break;
      case 'C': if (f) f.content = unhex(v); break;
      case 'H': if (f && v.trim()) f.sha256 = v.trim(); break;
      case 'R': if (c) c.code = Number(v); break;
      case 'O': if (c) c.stdout = unhex(v); break;
      case 'E': if (c) c.stderr = unhex(v); break;
    }
  }
  // an empty regular file prints "@C i " (no hex): content ''
  fs.forEach((f, i) => {
    if (f.exists && f.type === 'file' && f.content === undefined && (req.read ?? []).includes(files[i]!) && f.size === 0) f.content = '';
    out.files[files[i]!] = f;
  });
  names.forEach((n, i) => (out.commands[n] = cs[i]!));
  return out;
}
