// Split a string into words as a shell would group them, without any expansion.

/** Split a command string into words ('…' and "…" group, no expansion). */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") { q = c; inWord = true; }
    else if (/\s/.test(c)) { if (inWord) out.push(cur); cur = ''; inWord = false; }
    else if (c === '\\' && i + 1 < s.length) { cur += s[++i]; inWord = true; }
    else { cur += c; inWord = true; }
  }
  if (inWord) out.push(cur);
  return out;
}
