import { readFileSync } from 'node:fs';
import { isMap } from 'yaml';
import { PlaybookError } from './errors.js';
import { readYaml } from './yaml-source.js';
import { splitWords } from './words.js';

// -e / --extra-vars as Ansible takes them: `key=value` (several, space-separated; values
// are strings), `@file.yml` (YAML or JSON mapping), or an inline JSON/YAML mapping `{…}`.
// Extra vars win over every other variable.

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function mapping(text: string, file: string): Record<string, unknown> {
  const y = readYaml(text, file);
  const root = y.doc.contents;
  if (!isMap(root)) throw new PlaybookError(y.at(root as never), { message: 'extra vars must be a mapping', expected: 'name: value lines (or {"name": "value"})', got: root === null ? 'nothing' : 'not a mapping', fix: 'write one "name: value" per line' });
  return y.js(root) as Record<string, unknown>;
}

/** Parse one -e argument. `readFile` is injectable for tests. */
export function parseExtraVars(arg: string, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): Record<string, unknown> {
  const s = arg.trim();
  if (s.startsWith('@')) {
    const file = s.slice(1);
    let text: string;
    try {
      text = readFile(file);
    } catch (e) {
      throw new PlaybookError(undefined, { message: `cannot read extra vars file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, fix: 'check the path after @ (relative to the current directory)' });
    }
    return mapping(text, file);
  }
  if (s.startsWith('{')) return mapping(s, '-e');
  const out: Record<string, unknown> = {};
  for (const word of splitWords(s)) {
    const i = word.indexOf('=');
    const key = i > 0 ? word.slice(0, i) : word;
    if (i <= 0 || !NAME.test(key))
      throw new PlaybookError(undefined, { message: `-e ${JSON.stringify(arg)}: expected key=value`, expected: 'name=value (name: letters, digits, _), @file.yml, or {"name": "value"}', got: word, fix: `write -e ${NAME.test(key) ? key : 'name'}=VALUE` });
    out[key] = word.slice(i + 1);
  }
  return out;
}

/** Merge several -e arguments in order (later wins). */
export function parseAllExtraVars(args: string[], readFile?: (p: string) => string): Record<string, unknown> {
  return Object.assign({}, ...args.map((a) => parseExtraVars(a, readFile)));
}
