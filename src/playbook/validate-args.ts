import type { Module, OptionType } from './module-types.js';
import { PlaybookError, type SourcePos } from './errors.js';

// A task's options against its module's schema: unknown, missing, wrong type, not one of
// the choices. A string holding {{ … }} passes any type check here (it is checked again
// after templating, at run time).

function typeOf(v: unknown): OptionType | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

const templated = (v: unknown) => typeof v === 'string' && v.includes('{{');

/** Edit distance (for "did you mean"). */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** The closest name, when close enough to be a typo. */
export function suggest(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const dd = distance(name.toLowerCase(), n.toLowerCase());
    if (dd < bestD) { bestD = dd; best = n; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return (s === undefined ? String(v) : s).slice(0, 80);
};

/**
 * Check args against the module. `rendered`: args after templating (run time): templated
 * strings must then have the right type too.
 */
export function validateArgs(mod: Module, args: Record<string, unknown>, pos: SourcePos, argPos: Record<string, SourcePos>, rendered = false): void {
  const names = Object.keys(mod.options);
  for (const [k, v] of Object.entries(args)) {
    const spec = mod.options[k];
    const at = argPos[k] ?? pos;
    if (!spec) {
      const s = suggest(k, names);
      throw new PlaybookError(at, { message: `unknown option "${k}" for module ${mod.name}`, expected: `one of ${names.join(', ')}`, got: k, fix: s ? `did you mean "${s}"?` : `remove "${k}" or use another module` });
    }
    if (v === null || v === undefined) continue;
    if (!rendered && templated(v)) continue;
    const types = Array.isArray(spec.type) ? spec.type : [spec.type];
    const got = typeOf(v);
    if (!types.includes('any') && !types.includes(got as OptionType)) {
      throw new PlaybookError(at, { message: `option "${k}" of module ${mod.name} has the wrong type${rendered ? ' after templating' : ''}`, expected: types.join(' or '), got: `${got} ${show(v)}`, fix: `${spec.description}` });
    }
    if (spec.choices && !spec.choices.includes(String(v))) {
      throw new PlaybookError(at, { message: `option "${k}" of module ${mod.name} is not one of its choices`, expected: spec.choices.join(' | '), got: show(v), fix: suggest(String(v), [...spec.choices]) ? `did you mean "${suggest(String(v), [...spec.choices])}"?` : `use one of ${spec.choices.join(', ')}` });
    }
    if (got === 'list' && spec.items && spec.items !== 'any') {
      const bad = (v as unknown[]).find((x) => typeOf(x) !== spec.items && !(!rendered && templated(x)));
      if (bad !== undefined) throw new PlaybookError(at, { message: `option "${k}" of module ${mod.name} holds an item of the wrong type`, expected: `a list of ${spec.items}`, got: `${typeOf(bad)} ${show(bad)}`, fix: spec.items === 'string' ? 'quote the item' : spec.description });
    }
  }
  for (const [k, spec] of Object.entries(mod.options)) {
    if (spec.required && (args[k] === undefined || args[k] === null))
      throw new PlaybookError(pos, { message: `module ${mod.name} needs option "${k}"`, expected: `${k}: <${Array.isArray(spec.type) ? spec.type.join('|') : spec.type}> — ${spec.description}`, got: `options ${Object.keys(args).join(', ') || '(none)'}`, fix: `add "${k}:" under the module` });
  }
  const hasTemplates = !rendered && Object.values(args).some((v) => templated(v) || (typeof v === 'object' && v !== null && JSON.stringify(v).includes('{{')));
  if (mod.validate && (rendered || !hasTemplates)) {
    const p = mod.validate(args)[0];
    if (p) throw new PlaybookError(p.option ? argPos[p.option] ?? pos : pos, { message: `module ${mod.name}: ${p.message}`, ...(p.expected !== undefined ? { expected: p.expected } : {}), ...(p.got !== undefined ? { got: p.got } : {}), ...(p.fix !== undefined ? { fix: p.fix } : {}) });
  }
}
