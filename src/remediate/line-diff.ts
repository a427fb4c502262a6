// A unified diff of a file before and after removing some of its lines (check mode shows
// it). Pure; the text is host text: callers escape it before printing to a terminal.

/** Unified diff (3 lines of context) of `content` without the lines equal to one of `remove`. */
export function removalDiff(path: string, content: string, remove: Set<string>, context = 3): string {
  const lines = content.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const drop = lines.map((l) => remove.has(l));
  if (!drop.some(Boolean)) return '';
  const out = [`--- ${path}`, `+++ ${path}`];
  let i = 0;
  while (i < lines.length) {
    if (!drop[i]) { i++; continue; }
    // one hunk: from the first dropped line, extended while drops are within 2*context
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < lines.length) {
      if (drop[j]) end = j;
      else if (j - end > 2 * context) break;
      j++;
    }
    const stop = Math.min(lines.length, end + context + 1);
    const body: string[] = [];
    let kept = 0;
    for (let k = start; k < stop; k++) {
      body.push((drop[k] ? '-' : ' ') + lines[k]);
      if (!drop[k]) kept++;
    }
    out.push(`@@ -${start + 1},${stop - start} +${start + 1 - (drop.slice(0, start).filter(Boolean).length)},${kept} @@`, ...body);
    i = stop;
  }
  return out.join('\n') + '\n';
}
