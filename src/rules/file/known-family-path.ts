import type { Rule } from '../types.js';
import { familyByPath, familyRoot } from '../../evidence/family-match.js';
import { finding } from '../../evidence/finding.js';
import { basename } from '../../evidence/paths.js';

/**
 * A file or directory a family drops (/etc/upat.sh, ~/.configrc5, /tmp/.X2xi-unix …) exists:
 * from the probe's check of the catalogue paths, or among the files changed within --since.
 */
export const knownFamilyPath: Rule = {
  id: 'file.known-family-path',
  run: (facts, { catalogue }) => {
    const seen = new Set<string>();
    // a system tool moved aside (ps -> ps.original) keeps its package's mtime: not a time of the attack
    // (by name: with a merged /usr, /bin/ps.original and /usr/bin/ps.original are one file)
    const movedNames = new Set(facts.renamedBinaries.map((b) => basename(b.original)));
    const moved = (p: string): boolean => movedNames.has(basename(p));
    const entries = [
      ...(facts.knownPaths ?? []).map((k) => ({ path: k.path, mtime: k.mtime, sha256: k.sha256, what: k.type })),
      ...facts.recentFiles.map((r) => ({ path: r.path, mtime: r.mtime, sha256: undefined, what: 'recently changed file' })),
    ];
    return entries.flatMap((entry) => {
      let e = entry;
      const hit = familyByPath(e.path, catalogue);
      if (!hit) return [];
      // inside a family directory: report the directory once, not every file in it
      const root = familyRoot(e.path, catalogue);
      if (seen.has(root)) return [];
      seen.add(root);
      if (root !== e.path) e = { ...e, path: root, sha256: undefined, what: `directory holding ${e.path}` };
      return [
        finding(facts, {
          rule: 'file.known-family-path',
          severity: 'high',
          title: `${hit.family.name} file ${e.path} is present`,
          family: hit.family.id,
          evidence: [
            {
              kind: 'file',
              text: `${e.what} ${e.path}${e.sha256 ? ` sha256 ${e.sha256}` : ''}${moved(e.path) ? ' (the real tool moved aside; its mtime is the package\'s)' : ''}`,
              path: e.path,
              ...(moved(e.path) ? {} : { time: e.mtime }),
              ...(e.sha256 ? { sha256: e.sha256 } : {}),
            },
          ],
          iocs: [{ type: 'path', value: e.path }, ...(e.sha256 ? [{ type: 'sha256' as const, value: e.sha256 }] : [])],
          artifacts: [{ type: 'file', path: e.path, reason: `${hit.family.name} dropped file` }],
          remedy: `Quarantine ${e.path} (chattr -ia first if it is locked).`,
        }),
      ];
    });
  },
};
