import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostFacts } from '../../../src/facts/types.js';
import { loadCatalogue } from '../../../src/catalogue/load.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/facts');

/** A hand-written fixture host, fresh each call (tests may mutate it). */
export function facts(name: string): HostFacts {
  return JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as HostFacts;
}

export const SCENARIOS = ['minerd', 'ddg', 'kinsing', 'outlaw', 'cleanfda', 'aliyunduns', 'skidmap'] as const;
export const CLEAN = ['clean', 'clean-busy'] as const;
export const CONTROLLER_KEY = 'SHA256:ctrlKeyFingerprintAAAAAAAAAAAAAAAAAAAAAAAAAA';

export const catalogue = loadCatalogue();
export const ctx = { catalogue, trustedKeys: new Set([CONTROLLER_KEY]) };

/** Rules exercised on the recorded detection lab (field-lab.test.ts), with the scenario each fires on. */
export const RECORDED_LAB_RULES: Record<string, string> = {
  'binary.modified-package-file': 'local-integrity',
  'binary.unowned-in-system-dir': 'teamtnt',
  'process.untrusted-system-binary': 'watchdogs',
  'persistence.runs-untrusted': 'watchdogs',
  'persistence.kills-competitors': 'kerberods',
  'persistence.starts-flagged-unit': 'migo',
  'sudoers.grant-all': 'teamtnt',
  'key.judged': 'diicot',
  'file.miner-config': 'diicot',
};
