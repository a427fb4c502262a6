// Unified diffs of two texts, and of a file losing some of its lines (check mode shows them
// for every file a step would change). Pure; Myers' O(ND) line diff. The texts may be host
// text: escape before printing.

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): { lines: string[]; noNewline: boolean } {
  if (text === '') return { lines: [], noNewline: false };
  const lines = text.split('\n');
  const noNewline = lines[lines.length - 1] !== '';
  if (!noNewline) lines.pop();
  return { lines, noNewline };
}

/** The shortest edit script from a to b (Myers), as a list of kept/removed/added lines. */
export function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? v.get(k + 1) ?? 0 : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v.set(k, x);
      if (x >= n && y >= m) { done = true; break; }
    }
  }
  // backtrack
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1)) ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { ops.push({ kind: ' ', line: a[x - 1]! }); x--; y--; }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[y - 1]! });
      else ops.push({ kind: '-', line: a[x - 1]! });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

const NOEOL = '\u0000noeol';

function linesOf(text: string | null): string[] {
  const { lines, noNewline } = splitLines(text ?? '');
  if (noNewline && lines.length) lines[lines.length - 1] += NOEOL;
  return lines;
}

/**
 * Unified diff of `before` → `after` with `context` lines around each change; '' when equal.
 * `label` names the file in the ---/+++ lines (a missing file, null, shows as /dev/null).
 */
export function unifiedDiff(label: string, before: string | null, after: string | null, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(linesOf(before), linesOf(after));
  const out = [`--- ${before === null ? '/dev/null' : label}`, `+++ ${after === null ? '/dev/null' : label}`];
  const posA: number[] = [];
  const posB: number[] = [];
  let a = 0;
  let b = 0;
  for (const o of ops) {
    posA.push(a);
    posB.push(b);
    if (o.kind !== '+') a++;
    if (o.kind !== '-') b++;
  }
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') { i++; continue; }
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < ops.length) {
      if (ops[j]!.kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
      j++;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const body = ops.slice(start, stop);
    const aCount = body.filter((o) => o.kind !== '+').length;
    const bCount = body.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${posA[start]! + (aCount ? 1 : 0)},${aCount} +${posB[start]! + (bCount ? 1 : 0)},${bCount} @@`);
    for (const o of body) {
      if (o.line.endsWith(NOEOL)) out.push(o.kind + o.line.slice(0, -NOEOL.length), '\\ No newline at end of file');
      else out.push(o.kind + o.line);
    }
    i = stop;
  }
  return out.join('\n') + '\n';
}

/** Unified diff of `content` without the lines equal to one of `remove`; '' when none is there. */
export function removalDiff(path: string, content: string, remove: Set<string>, context = 3): string {
  const lines = content.split('\n');
  const eol = lines.length > 0 && lines[lines.length - 1] === '';
  if (eol) lines.pop();
  const kept = lines.filter((l) => !remove.has(l));
  if (kept.length === lines.length) return '';
  return unifiedDiff(path, content, kept.length ? kept.join('\n') + (eol ? '\n' : '') : '', context);
}
