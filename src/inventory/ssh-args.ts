// Split an ssh argument string the way Ansible does (POSIX shlex) and read the options
// that matter for connecting: -o Key=Value (first value wins, as in OpenSSH), -J, -p, -l, -i.

/**
 * Word splitting as Python's shlex.split (posix), which Ansible uses for ssh args and INI
 * host lines: single and double quotes, backslash escapes (inside double quotes only before
 * `"` and `\`); with `comments`, an unquoted `#` ends the line.
 */
export function shellSplit(s: string, comments = false): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote in ${JSON.stringify(s)}`);
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\'.includes(s[i + 1]!)) i++;
        cur += s[i];
        i++;
      }
      if (i >= s.length) throw new Error(`unterminated double quote in ${JSON.stringify(s)}`);
      inWord = true;
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[i + 1];
      inWord = true;
      i += 2;
    } else if (comments && c === '#') {
      break;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export interface SshArgs {
  /** -o options, key lower-cased, first occurrence wins (OpenSSH semantics) */
  options: Record<string, string>;
  /** -J jump hosts, outermost first */
  jump?: string[];
  port?: string;
  user?: string;
  identityFiles: string[];
}

/** Parse ssh command-line arguments (already split into words). Unknown flags are skipped. */
export function parseSshArgs(words: string[], into?: SshArgs): SshArgs {
  const out: SshArgs = into ?? { options: {}, identityFiles: [] };
  const takesValue = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w.length < 2) continue;
    const flag = w[1]!;
    if (!takesValue.has(flag)) continue;
    let value: string | undefined = w.length > 2 ? w.slice(2) : words[++i];
    if (value === undefined) break;
    if (flag === 'o') {
      const m = /^\s*([A-Za-z0-9]+)\s*(?:=\s*|\s+)(.*)$/s.exec(value);
      if (!m) continue;
      const key = m[1]!.toLowerCase();
      if (!(key in out.options)) out.options[key] = m[2]!.trim();
    } else if (flag === 'J') out.jump ??= value.split(',').filter(Boolean);
    else if (flag === 'p') out.port ??= value;
    else if (flag === 'l') out.user ??= value;
    else if (flag === 'i') out.identityFiles.push(value);
  }
  return out;
}
