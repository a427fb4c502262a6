// Remote text on a terminal: control characters (C0, DEL, C1, and the bidi overrides)
// are shown as visible escapes so a hostile name cannot move the cursor, recolour the
// screen or hide text.

/** Make a string safe to print: \n, \t, \e… become visible escapes, raw bytes become \xNN. */
export function escapeForTerminal(s: string, opts: { keepNewlines?: boolean } = {}): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (opts.keepNewlines && c === 0x0a) out += '\n';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x1b) out += '\\e';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xdc80 && c <= 0xdcff) out += '\\x' + (c - 0xdc00).toString(16);
    else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out;
}
