// `when:` expressions, parsed and evaluated without eval. Grammar (Ansible/Jinja subset):
//   expr   := or;  or := and ('or' and)*;  and := not ('and' not)*;  not := 'not' not | test
//   test   := value [ ('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not in') value
//                    | 'is' ['not'] ('defined'|'undefined'|'none'|'true'|'false'|'truthy'|'falsy') ]
//   value  := primary ('|' filter ['(' args ')'])*     filters: length, bool, int, float, string, lower, upper, trim, default(x)
//   primary:= number | 'str' | "str" | true | false | none | null | [a, b] | path | '(' expr ')'
//   path   := name ('.' name | '[' expr ']')*
// Names resolve in the scope (vars, facts, findings, registered results); an unknown
// name is "undefined": only `is defined`/`is undefined`/`default` accept it.

export class WhenError extends Error {
  override name = 'WhenError';
  /** 0-based offset in the expression */
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

type Tok = { t: 'num' | 'str' | 'name' | 'op' | 'end'; v: string; at: number };

const OPS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', '.', ',', '|'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const at = i;
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0], at });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else s += src[i++];
      }
      if (i >= src.length) throw new WhenError(`unterminated string starting at column ${at + 1}`, at);
      i++;
      out.push({ t: 'str', v: s, at });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      const v = m[0];
      out.push({ t: 'name', v, at });
      i += v.length;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new WhenError(`unexpected character ${JSON.stringify(c)}`, at);
      out.push({ t: 'op', v: op, at });
      i += op.length;
    }
  }
  out.push({ t: 'end', v: '', at: src.length });
  return out;
}

export type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'list'; items: Expr[] }
  | { k: 'path'; root: string; parts: Array<string | Expr>; at: number }
  | { k: 'not'; e: Expr }
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'cmp'; op: string; a: Expr; b: Expr; at: number }
  | { k: 'is'; e: Expr; test: string; neg: boolean; at: number }
  | { k: 'filter'; e: Expr; name: string; args: Expr[]; at: number };

const FILTERS = ['length', 'count', 'bool', 'int', 'float', 'string', 'lower', 'upper', 'trim', 'default', 'd', 'first', 'last'];
const TESTS = ['defined', 'undefined', 'none', 'true', 'false', 'truthy', 'falsy', 'string', 'number'];

/** Parse an expression; throws WhenError with the offset of the problem. */
export function parseWhen(src: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p]!;
  const next = () => toks[p++]!;
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  const isWord = (v: string) => peek().t === 'name' && peek().v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new WhenError(`expected ${JSON.stringify(v)} but found ${describe(peek())}`, peek().at);
    next();
  };
  function describe(t: Tok): string {
    return t.t === 'end' ? 'the end of the expression' : JSON.stringify(t.v);
  }
  function or(): Expr {
    let a = and();
    while (isWord('or')) { next(); a = { k: 'or', a, b: and() }; }
    return a;
  }
  function and(): Expr {
    let a = not();
    while (isWord('and')) { next(); a = { k: 'and', a, b: not() }; }
    return a;
  }
  function not(): Expr {
    if (isWord('not')) { next(); return { k: 'not', e: not() }; }
    return test();
  }
  function test(): Expr {
    const a = value();
    const t = peek();
    if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) { next(); return { k: 'cmp', op: t.v, a, b: value(), at: t.at }; }
    if (isWord('in')) { next(); return { k: 'cmp', op: 'in', a, b: value(), at: t.at }; }
    if (isWord('not') && toks[p + 1]?.t === 'name' && toks[p + 1]?.v === 'in') { p += 2; return { k: 'not', e: { k: 'cmp', op: 'in', a, b: value(), at: t.at } }; }
    if (isWord('is')) {
      next();
      let neg = false;
      if (isWord('not')) { next(); neg = true; }
      const n = next();
      if (n.t !== 'name' || !TESTS.includes(n.v)) throw new WhenError(`unknown test ${describe(n)} after "is"; expected one of ${TESTS.join(', ')}`, n.at);
      return { k: 'is', e: a, test: n.v, neg, at: t.at };
    }
    return a;
  }
  function value(): Expr {
    let e = primary();
    while (isOp('|')) {
      next();
      const n = next();
      if (n.t !== 'name' || !FILTERS.includes(n.v)) throw new WhenError(`unknown filter ${describe(n)}; expected one of ${FILTERS.join(', ')}`, n.at);
      const args: Expr[] = [];
      if (isOp('(')) {
        next();
        if (!isOp(')')) {
          args.push(or());
          while (isOp(',')) { next(); args.push(or()); }
        }
        expect(')');
      }
      e = { k: 'filter', e, name: n.v, args, at: n.at };
    }
    return e;
  }
  function primary(): Expr {
    const t = next();
    if (t.t === 'num') return { k: 'lit', v: Number(t.v) };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = or();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Expr[] = [];
      if (!isOp(']')) {
        items.push(or());
        while (isOp(',')) { next(); items.push(or()); }
      }
      expect(']');
      return { k: 'list', items };
    }
    if (t.t === 'name') {
      if (['true', 'True'].includes(t.v)) return { k: 'lit', v: true };
      if (['false', 'False'].includes(t.v)) return { k: 'lit', v: false };
      if (['none', 'None', 'null'].includes(t.v)) return { k: 'lit', v: null };
      if (['and', 'or', 'not', 'in', 'is'].includes(t.v)) throw new WhenError(`expected a value but found the keyword "${t.v}"`, t.at);
      const parts: Array<string | Expr> = [];
      for (;;) {
        if (isOp('.')) {
          next();
          const n = next();
          if (n.t !== 'name' && n.t !== 'num') throw new WhenError(`expected a name after "." but found ${describe(n)}`, n.at);
          parts.push(n.v);
        } else if (isOp('[')) {
          next();
          parts.push(or());
          expect(']');
        } else break;
      }
      return { k: 'path', root: t.v, parts, at: t.at };
    }
    throw new WhenError(`expected a value but found ${describe(t)}`, t.at);
  }
  const e = or();
  if (peek().t !== 'end') throw new WhenError(`unexpected ${describe(peek())} after a complete expression (missing "and"/"or"?)`, peek().at);
  return e;
}

/** A missing name or key. */
const UNDEF = Symbol('undefined');
type Val = unknown;

function truthy(v: Val): boolean {
  if (v === UNDEF || v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return Boolean(v);
}

function toBool(v: Val): boolean {
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.trim().toLowerCase());
  if (typeof v === 'number') return v === 1;
  return v === true;
}

function typeName(v: Val): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'mapping' : typeof v;
}

function own(o: unknown, key: string): Val {
  if (o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, key)) return (o as Record<string, unknown>)[key];
  return UNDEF;
}

/** Evaluate a parsed expression over a scope (plain data; no functions are ever called). */
export function evalWhen(e: Expr, scope: Record<string, unknown>): boolean {
  return truthy(ev(e, scope));
}

function pathText(e: Expr & { k: 'path' }): string {
  return e.root + e.parts.map((p) => (typeof p === 'string' ? '.' + p : '[…]')).join('');
}

function defined(v: Val, e: Expr): Val {
  if (v === UNDEF) throw new WhenError(`${e.k === 'path' ? pathText(e) : 'value'} is undefined (use "is defined" or "|default(…)" when it may be missing)`, e.k === 'path' ? e.at : 0);
  return v;
}

function ev(e: Expr, s: Record<string, unknown>): Val {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'list':
      return e.items.map((i) => defined(ev(i, s), i));
    case 'path': {
      let v: Val = own(s, e.root);
      for (const part of e.parts) {
        if (v === UNDEF || v === null) return UNDEF;
        const key = typeof part === 'string' ? part : defined(ev(part, s), part);
        if (Array.isArray(v) && (typeof key === 'number' || /^-?[0-9]+$/.test(String(key)))) {
          const n = Number(key);
          v = n < 0 ? v[v.length + n] : v[n];
          if (v === undefined) v = UNDEF;
        } else v = own(v, String(key));
      }
      return v;
    }
    case 'not':
      return !truthy(ev(e.e, s));
    case 'and':
      return truthy(ev(e.a, s)) && truthy(ev(e.b, s));
    case 'or':
      return truthy(ev(e.a, s)) || truthy(ev(e.b, s));
    case 'is': {
      const v = ev(e.e, s);
      let r: boolean;
      switch (e.test) {
        case 'defined': r = v !== UNDEF; break;
        case 'undefined': r = v === UNDEF; break;
        case 'none': r = v === null; break;
        case 'true': r = v === true; break;
        case 'false': r = v === false; break;
        case 'truthy': r = truthy(v); break;
        case 'falsy': r = !truthy(v); break;
        case 'string': r = typeof v === 'string'; break;
        default: r = typeof v === 'number';
      }
      return e.neg ? !r : r;
    }
    case 'cmp': {
      const a = defined(ev(e.a, s), e.a);
      const b = defined(ev(e.b, s), e.b);
      switch (e.op) {
        case '==': return equal(a, b);
        case '!=': return !equal(a, b);
        case 'in':
          if (typeof b === 'string') return typeof a === 'string' && b.includes(a);
          if (Array.isArray(b)) return b.some((x) => equal(x, a));
          if (b && typeof b === 'object') return typeof a === 'string' && Object.prototype.hasOwnProperty.call(b, a);
          throw new WhenError(`"in" needs a list, string or mapping on its right, got ${typeName(b)}`, e.at);
        default: {
          const bothNum = typeof a === 'number' && typeof b === 'number';
          const bothStr = typeof a === 'string' && typeof b === 'string';
          if (!bothNum && !bothStr) throw new WhenError(`cannot compare ${typeName(a)} ${e.op} ${typeName(b)} (convert with |int or |string)`, e.at);
          const x = a as number | string;
          const y = b as number | string;
          return e.op === '<' ? x < y : e.op === '<=' ? x <= y : e.op === '>' ? x > y : x >= y;
        }
      }
    }
    case 'filter': {
      const raw = ev(e.e, s);
      if (e.name === 'default' || e.name === 'd') {
        if (raw !== UNDEF && !(e.args[1] && truthy(ev(e.args[1], s)) && !truthy(raw))) return raw;
        return e.args[0] ? defined(ev(e.args[0], s), e.args[0]) : '';
      }
      const v = defined(raw, e.e);
      switch (e.name) {
        case 'length':
        case 'count':
          if (typeof v === 'string' || Array.isArray(v)) return v.length;
          if (v && typeof v === 'object') return Object.keys(v).length;
          throw new WhenError(`|length needs a string, list or mapping, got ${typeName(v)}`, e.at);
        case 'bool': return toBool(v);
        case 'int': { const n = parseInt(String(v), 10); return Number.isNaN(n) ? 0 : n; }
        case 'float': { const n = parseFloat(String(v)); return Number.isNaN(n) ? 0 : n; }
        case 'string': return v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        case 'lower': return String(v).toLowerCase();
        case 'upper': return String(v).toUpperCase();
        case 'trim': return String(v).trim();
        case 'first': return Array.isArray(v) ? (v.length ? v[0] : UNDEF) : typeof v === 'string' ? v.slice(0, 1) : UNDEF;
        default: return Array.isArray(v) ? (v.length ? v[v.length - 1] : UNDEF) : typeof v === 'string' ? v.slice(-1) : UNDEF;
      }
    }
  }
}

function equal(a: Val, b: Val): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a && b) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** Parse then evaluate (tests, one-off use). */
export function when(src: string, scope: Record<string, unknown>): boolean {
  return evalWhen(parseWhen(src), scope);
}
