import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeLossless } from '../core/bytes.js';
import { templatesDir } from '../core/paths.js';

// Controller-side files a playbook names (template/copy `src`): relative to the playbook's
// directory, then its templates/ folder, then minesweep's own templates/.

export function localReader(playbookDir: string): (p: string) => string {
  return (p: string) => {
    const tried = path.isAbsolute(p) ? [p] : [path.join(playbookDir, p), path.join(playbookDir, 'templates', p), path.join(templatesDir, p)];
    for (const f of tried) {
      try {
        return decodeLossless(readFileSync(f));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${f}: ${(e as Error).message}`);
      }
    }
    throw new Error(`controller file ${JSON.stringify(p)} not found (tried ${tried.join(', ')}); put it next to the playbook or in its templates/ folder`);
  };
}
