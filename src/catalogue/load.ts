import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { catalogueDir } from '../core/paths.js';
import { mergeCatalogues } from './merge.js';
import type { Catalogue } from './types.js';
import { crossCheck, validateCatalogue, type CatalogueError } from './validate.js';

/** Thrown when a catalogue or --ioc file is malformed; message lists every file:line. */
export class CatalogueLoadError extends Error {
  constructor(readonly errors: CatalogueError[]) {
    super(errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n'));
    this.name = 'CatalogueLoadError';
  }
}

/** Parse YAML text and validate it; errors carry file:line. Pure (no I/O). */
export function parseCatalogueText(text: string, file: string): { catalogue: Catalogue; errors: CatalogueError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      catalogue: validateCatalogue(null, file, () => 1).catalogue,
      errors: doc.errors.map((e) => ({ file, line: e.linePos?.[0].line ?? 1, message: `not valid YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  const locate = (p: Array<string | number>): number => {
    for (let n = p.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      // a key that does not resolve to a node: find the key scalar itself
    }
    return 1;
  };
  return validateCatalogue(doc.toJS(), file, locate);
}

function readOne(file: string): { catalogue: Catalogue; errors: CatalogueError[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { catalogue: validateCatalogue(null, file, () => 1).catalogue, errors: [{ file, line: 1, message: `cannot read: ${(e as Error).message}. Check the path.` }] };
  }
  return parseCatalogueText(text, file);
}

/** The built-in catalogue (every *.yml in src/catalogue) plus the given --ioc files, merged. */
export function loadCatalogue(iocFiles: string[] = [], dir: string = catalogueDir): Catalogue {
  const builtin = readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(dir, f));
  const results = [...builtin, ...iocFiles].map(readOne);
  const errors = results.flatMap((r) => r.errors);
  const merged = mergeCatalogues(...results.map((r) => r.catalogue));
  errors.push(...crossCheck(merged).map((message) => ({ file: iocFiles.at(-1) ?? dir, line: 1, message })));
  if (errors.length) throw new CatalogueLoadError(errors);
  return merged;
}
