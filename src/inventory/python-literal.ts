// INI inventory values go through Python's ast.literal_eval in Ansible: `5` is a number,
// `True` a boolean, `[1, 2]` a list, `'x'` a string; anything else stays the text itself.

/** Python literal_eval for the literals INI inventories use; the text unchanged when it is not one. */
export function pythonLiteral(text: string): unknown {
  try {
    const p = new Parser(text);
    const v = p.value();
    p.skipSpace();
    if (!p.done()) return text;
    return v;
  } catch {
    return text;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  skipSpace(): void {
    while (this.i < this.s.length && ' \t'.includes(this.s[this.i]!)) this.i++;
  }

  value(): unknown {
    if (this.i === 0 && /^\s/.test(this.s)) throw new Error('indent');
    this.skipSpace();
    const c = this.s[this.i];
    if (c === undefined) throw new Error('empty');
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '{') return this.mapping();
    if (c === '"' || c === "'") return this.strings();
    const word = /^(?:True|False|None)\b/.exec(this.s.slice(this.i));
    if (word) {
      this.i += word[0].length;
      return word[0] === 'True' ? true : word[0] === 'False' ? false : null;
    }
    return this.number();
  }

  private number(): number {
    const m = /^[+-]?\s*(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?|\d[\d_]*\.)/.exec(this.s.slice(this.i));
    if (!m) throw new Error('not a literal');
    this.i += m[0].length;
    let t = m[0].replace(/[_\s]/g, '');
    const neg = t.startsWith('-');
    t = t.replace(/^[+-]/, '');
    if (/^0\d+$/.test(t) && !/^0+$/.test(t)) throw new Error('leading zero');
    const n = /^0[xXoObB]/.test(t) ? Number(t.toLowerCase()) : Number(t);
    if (Number.isNaN(n)) throw new Error('nan');
    return neg ? -n : n;
  }

  private strings(): string {
    let out = '';
    do {
      out += this.string();
      this.skipSpace();
    } while (this.s[this.i] === '"' || this.s[this.i] === "'");
    return out;
  }

  private string(): string {
    const q = this.s[this.i]!;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const close = triple ? q.repeat(3) : q;
    this.i += close.length;
    let out = '';
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    while (!this.s.startsWith(close, this.i)) {
      const c = this.s[this.i];
      if (c === undefined || (!triple && c === '\n')) throw new Error('unterminated');
      if (c === '\\') {
        const n = this.s[this.i + 1] ?? '';
        if (n === 'x' || n === 'u') {
          const len = n === 'x' ? 2 : 4;
          out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 2 + len), 16));
          this.i += 2 + len;
          continue;
        }
        out += n in escapes ? escapes[n] : '\\' + n;
        this.i += 2;
        continue;
      }
      out += c;
      this.i++;
    }
    this.i += close.length;
    return out;
  }

  private sequence(end: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === end) break;
      out.push(this.value());
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== end) throw new Error('expected , or end');
    }
    this.i++;
    return out;
  }

  private mapping(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === '}') break;
      const k = this.value();
      this.skipSpace();
      if (this.s[this.i] !== ':') throw new Error('expected :');
      this.i++;
      out[String(k)] = this.value();
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new Error('expected , or }');
    }
    this.i++;
    return out;
  }
}
