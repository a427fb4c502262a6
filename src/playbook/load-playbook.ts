import { readFileSync } from 'node:fs';
import { PlaybookError } from './errors.js';
import { parsePlaybook } from './parse.js';
import { getModule, loadModules, moduleLoadError, moduleNames } from './registry.js';
import type { Playbook } from './types.js';

/** Read, parse and validate a playbook file with every registered module. */
export async function loadPlaybook(file: string): Promise<Playbook> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PlaybookError(undefined, { message: `cannot read playbook ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, fix: 'check the path (relative to the current directory), or name a built-in: playbooks/NAME.yml' });
  }
  await loadModules();
  return parsePlaybook(text, file, getModule, moduleNames(), moduleLoadError);
}
