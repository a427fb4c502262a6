// One executor: a planned step's command reaches a host only through engine/run-step.ts,
// and runStep is called only by the playbook executor (remediate, harden and rollback run
// playbooks). Built from the source text of src/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const files = sourceFiles(SRC).map((abs) => ({ rel: path.relative(SRC, abs).split(path.sep).join('/'), code: readFileSync(abs, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1') }));

describe('one engine runs every step', () => {
  it('only the playbook executor imports runStep (value imports; types are free)', () => {
    const importers = files.filter((f) => /import\s*\{[^}]*\brunStep\b[^}]*\}\s*from\s*['"][^'"]*engine\/run-step\.js['"]/.test(f.code.replace(/\btype\s+\w+/g, ''))).map((f) => f.rel);
    expect(importers).toEqual(['playbook/executor.ts']);
  });

  it("a step's command is passed to an exec only in engine/run-step.ts", () => {
    const runners = files.filter((f) => /\bexec\w*\(\s*(?:phaseCommand\()?\s*\w+\.command\b/.test(f.code)).map((f) => f.rel);
    expect(runners).toEqual(['engine/run-step.ts']);
  });

  it('the second runner and the harden host loop are gone', () => {
    const names = files.map((f) => f.rel);
    expect(names.filter((n) => ['remediate/run-steps.ts', 'harden/harden-host.ts'].includes(n))).toEqual([]);
  });

  it('remediate, harden and rollback run playbooks through runPlaybook', () => {
    for (const c of ['commands/remediate.ts', 'commands/harden.ts', 'commands/rollback.ts']) {
      const code = files.find((f) => f.rel === c)!.code;
      expect(code, c).toMatch(/\brunPlaybook\(/);
    }
  });
});
