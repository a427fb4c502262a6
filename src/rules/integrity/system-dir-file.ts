import type { IntegrityFile } from '../../facts/types.js';
import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';
import { inSystemDir } from './lookup.js';

const hidden = (p: string): boolean => p.slice(p.lastIndexOf('/') + 1).startsWith('.');

function why(f: IntegrityFile, inSys: boolean): string | null {
  if (f.state !== 'unowned') return null;
  if (f.copyOf) return `a copy of ${f.copyOf} under another name`;
  if (inSys && hidden(f.path)) return `a hidden ${f.type === 'dir' ? 'directory' : 'file'} no package owns`;
  if (f.attrs && /[ia]/.test(f.attrs.replace(/-/g, '').replace(/e/g, ''))) return `no package owns it and it is locked (${f.attrs.replace(/-/g, '')})`;
  return null;
}

/**
 * Files in the system binary and library directories that no package put there and that hide:
 * a hidden name, a copy of a package binary under another name (download tools and chattr
 * renamed), or an unowned file locked with chattr +i.
 */
export const systemDirFile: Rule = {
  id: 'binary.unowned-in-system-dir',
  run: (facts) =>
    (facts.integrity?.files ?? []).flatMap((f) => {
      const w = why(f, inSystemDir(facts, f.path));
      if (!w) return [];
      return [
        finding(facts, {
          rule: 'binary.unowned-in-system-dir',
          severity: 'high',
          title: `${f.path}: ${w}`,
          evidence: [{ kind: 'file', text: `${f.path}: ${w}${f.sha256 ? `; sha256 ${f.sha256}` : ''}${f.attrs ? `; lsattr ${f.attrs}` : ''}`, path: f.path, ...(f.sha256 ? { sha256: f.sha256 } : {}), ...(f.mtime ? { time: f.mtime } : {}) }],
          iocs: [{ type: 'path', value: f.path }, ...(f.sha256 ? [{ type: 'sha256' as const, value: f.sha256 }] : [])],
          artifacts: [
            ...(f.attrs && /[ia]/.test(f.attrs.replace(/[-e]/g, '')) ? [{ type: 'immutable' as const, path: f.path, attrs: f.attrs }] : []),
            { type: 'file', path: f.path, reason: w },
          ],
          remedy: `Quarantine ${f.path} (chattr -ia first if locked) and find what runs it.`,
        }),
      ];
    }),
};
