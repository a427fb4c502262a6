import Handlebars from 'handlebars';
import { quote } from '../core/quote.js';

// Handlebars templating of playbook values and template files. HTML escaping is off
// (noEscape: these are config files and commands, not HTML). Missing variables are errors
// (strict). In `shell` commands a bare {{x}} is accepted only when x is a plain shell word
// (letters, digits, @%+=:,./-); anything else must be written {{quote x}}, which quotes it
// as one POSIX sh word — so a hostile value can never become shell syntax. `command`
// takes argv (a list), each element passed as one word: it needs no quoting.

const hb = Handlebars.create();

/** {{quote x}}: x as one sh word; a list becomes several words, each quoted. */
hb.registerHelper('quote', (v: unknown) => {
  if (Array.isArray(v)) return v.map((x) => quote(scalarText(x))).join(' ');
  return quote(scalarText(v));
});
hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
hb.registerHelper('join', (v: unknown, sep: unknown) => (Array.isArray(v) ? v.map(scalarText).join(typeof sep === 'string' ? sep : ',') : scalarText(v)));
hb.registerHelper('default', (v: unknown, d: unknown) => (v === undefined || v === null || v === '' ? d : v));
hb.registerHelper('trim', (v: unknown) => scalarText(v).trim());
hb.registerHelper('lower', (v: unknown) => scalarText(v).toLowerCase());
hb.registerHelper('upper', (v: unknown) => scalarText(v).toUpperCase());
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
hb.registerHelper('__shellword', (v: unknown, opts: { data?: { root?: unknown }; loc?: unknown; name?: string; hash?: { name?: string } }) => {
  const text = Array.isArray(v) ? null : scalarText(v);
  if (text === null || (text !== '' && quote(text) !== text))
    throw new TemplateError(`{{${opts.hash?.name ?? '…'}}} is inserted into a shell command unquoted but its value ${JSON.stringify(Array.isArray(v) ? v : text).slice(0, 80)} is not a plain word`, `write {{quote ${opts.hash?.name ?? 'x'}}} so it is passed as one quoted word`);
  return text;
});

export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(message: string, readonly fix?: string) {
    super(message);
  }
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

type Compiled = (ctx: unknown) => string;
const cache = new Map<string, Compiled>();

interface AstNode {
  type: string;
  [k: string]: unknown;
}

/** Rewrite every bare {{x}} (no params, not a helper) into {{__shellword x name="x"}}. */
function guardShell(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { node.forEach(guardShell); return; }
  const n = node as AstNode;
  if (n.type === 'MustacheStatement') {
    const p = n['path'] as AstNode & { original?: string; parts?: string[] };
    const params = n['params'] as unknown[];
    if (p.type === 'PathExpression' && params.length === 0 && !hb.helpers[p.original ?? '']) {
      n['params'] = [p];
      n['path'] = { type: 'PathExpression', data: false, depth: 0, parts: ['__shellword'], original: '__shellword', loc: p['loc'] };
      n['hash'] = { type: 'Hash', pairs: [{ type: 'HashPair', key: 'name', value: { type: 'StringLiteral', value: p.original, original: p.original, loc: p['loc'] }, loc: p['loc'] }], loc: p['loc'] };
    }
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'loc' && v && typeof v === 'object') guardShell(v);
}

function compile(text: string, shell: boolean): Compiled {
  const key = (shell ? 's:' : 't:') + text;
  let fn = cache.get(key);
  if (!fn) {
    let ast: ReturnType<typeof Handlebars.parse>;
    try {
      ast = hb.parse(text);
    } catch (e) {
      throw new TemplateError(`template syntax: ${(e as Error).message.split('\n')[0]}`, 'close every {{ with }} and every {{#block}} with {{/block}}');
    }
    if (shell) guardShell(ast);
    fn = hb.compile(ast, { noEscape: true, strict: true }) as Compiled;
    cache.set(key, fn);
  }
  return fn;
}

/** Check a template's syntax (validation, before anything runs). */
export function checkTemplate(text: string): void {
  compile(text, false);
}

/** Render a template text; missing variables and unquoted shell values throw TemplateError. */
export function renderString(text: string, vars: Record<string, unknown>, opts: { shell?: boolean } = {}): string {
  if (!text.includes('{{')) return text;
  try {
    return compile(text, opts.shell === true)(vars);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    const m = (e as Error).message;
    const missing = /^"([^"]+)" not defined/.exec(m);
    if (missing) throw new TemplateError(`variable "${missing[1]}" is not defined`, `define it in the play's vars, the inventory, or with -e ${missing[1]}=VALUE`);
    throw new TemplateError(`template: ${m.split('\n')[0]}`);
  }
}

const SINGLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}$/;

function lookup(vars: Record<string, unknown>, dotted: string): unknown {
  let v: unknown = vars;
  for (const k of dotted.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/**
 * Render every string inside a value (lists and maps too). A string that is exactly one
 * `{{ name }}` keeps the variable's type (a number stays a number, a list a list).
 * `shellKeys` lists the top-level keys rendered in shell mode.
 */
export function renderValue(value: unknown, vars: Record<string, unknown>, shellKeys: ReadonlySet<string> = new Set(), key?: string): unknown {
  if (typeof value === 'string') {
    const m = SINGLE.exec(value);
    if (m && !shellKeys.has(key ?? '')) {
      const v = lookup(vars, m[1]!);
      if (v === undefined) throw new TemplateError(`variable "${m[1]}" is not defined`, `define it in the play's vars, the inventory, or with -e ${m[1]}=VALUE`);
      return v;
    }
    return renderString(value, vars, { shell: shellKeys.has(key ?? '') });
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars, new Set(), undefined));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, vars, key === undefined ? shellKeys : new Set(), k);
    return out;
  }
  return value;
}
