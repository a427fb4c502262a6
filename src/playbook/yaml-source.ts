import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document, type Node, type ScalarTag, type Tags } from 'yaml';
import { PlaybookError, type SourcePos } from './errors.js';

// YAML as Ansible reads it (YAML 1.1 booleans yes/no/on/off), with the file:line:column of
// every node. `0644`-style octal literals stay strings ("0644"): they are file modes.

const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const boolTag = (value: boolean, test: RegExp): ScalarTag => ({ tag: BOOL, default: true, identify: (v: unknown) => v === value, test, resolve: () => value, stringify: () => String(value) });
const modeTag: ScalarTag = { tag: INT, default: true, identify: () => false, test: /^0[0-7]+$/, resolve: (s: string) => s as unknown as number };
const customTags = (tags: Tags): Tags => [
  boolTag(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/),
  boolTag(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/),
  modeTag,
  ...tags.filter((t) => typeof t === 'string' || t.tag !== BOOL),
];

export interface YamlSource {
  doc: Document.Parsed;
  at(node: Node | null | undefined, fallback?: SourcePos): SourcePos;
  js(node: unknown): unknown;
}

/** Parse YAML; a syntax error becomes a PlaybookError at its line and column. */
export function readYaml(text: string, file: string): YamlSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter: lc, customTags, prettyErrors: false, uniqueKeys: true, merge: true });
  const err = doc.errors[0];
  if (err) {
    const p = lc.linePos(err.pos[0]);
    throw new PlaybookError(
      { file, line: p.line, column: p.col },
      err.code === 'DUPLICATE_KEY'
        ? { message: 'a key appears twice in the same mapping', fix: 'keep one of them (a task has exactly one module and each option once)' }
        : { message: `invalid YAML: ${err.message.split('\n')[0]}`, fix: 'check the indentation, colons and quoting on this line and the one above' },
    );
  }
  const at = (node: Node | null | undefined, fallback: SourcePos = { file, line: 1, column: 1 }): SourcePos => {
    if (!node?.range) return fallback;
    const p = lc.linePos(node.range[0]);
    return { file, line: p.line, column: p.col };
  };
  const js = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isScalar(node) || isMap(node) || isSeq(node)) return (node as Node).toJS(doc, { maxAliasCount: 1000 });
    return node;
  };
  return { doc, at, js };
}
