// lineinfile's pure text edit (Ansible semantics): with `regexp`, the last matching line is
// replaced by `line`; otherwise `line` is added unless already present — after the last
// match of `insertafter` (default EOF) or before the last match of `insertbefore` (BOF:
// first line). state absent removes every line matching `regexp` (or equal to `line`).

export interface LineEdit {
  line?: string;
  regexp?: RegExp;
  state: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  firstmatch?: boolean;
}

function lastIndex(lines: string[], re: RegExp, first = false): number {
  let found = -1;
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!)) { found = i; if (first) break; }
  return found;
}

/** The edited text (unchanged text when nothing needs doing). */
export function editLines(content: string, e: LineEdit): string {
  const lines = content === '' ? [] : content.split('\n');
  const hadNewline = content === '' || content.endsWith('\n');
  if (content.endsWith('\n')) lines.pop();
  const join = (ls: string[]) => (ls.length ? ls.join('\n') + (hadNewline || ls.length > 0 ? '\n' : '') : '');
  if (e.state === 'absent') {
    const keep = lines.filter((l) => !(e.regexp ? e.regexp.test(l) : l === e.line));
    return keep.length === lines.length ? content : join(keep);
  }
  const line = e.line!;
  if (e.regexp) {
    const i = lastIndex(lines, e.regexp, e.firstmatch);
    if (i >= 0) {
      if (lines[i] === line) return content;
      const out = [...lines];
      out[i] = line;
      return join(out);
    }
  }
  if (lines.includes(line)) return content;
  const out = [...lines];
  if (e.insertbefore !== undefined) {
    const i = e.insertbefore === 'BOF' ? 0 : lastIndex(lines, new RegExp(e.insertbefore), e.firstmatch);
    if (i >= 0) out.splice(i, 0, line);
    else out.push(line);
  } else if (e.insertafter !== undefined && e.insertafter !== 'EOF') {
    const i = lastIndex(lines, new RegExp(e.insertafter), e.firstmatch);
    if (i >= 0) out.splice(i + 1, 0, line);
    else out.push(line);
  } else out.push(line);
  return out.join('\n') + '\n';
}
