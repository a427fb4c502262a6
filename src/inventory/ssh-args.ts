// Split an ssh argument string the way Ansible does (POSIX shlex); the transport reads the
// words as ssh does (src/transport/ssh-words.ts).

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
