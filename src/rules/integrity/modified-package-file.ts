import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/**
 * A package file that no longer matches its package's checksum and that something relies on:
 * a tool (ps, ls, netstat …), a program a process or a persistence entry runs, a preloaded
 * library. A wrapper in place of a system tool looks exactly like this, whatever it is named.
 */
export const modifiedPackageFile: Rule = {
  id: 'binary.modified-package-file',
  run: (facts) =>
    (facts.integrity?.files ?? [])
      .filter((f) => f.state === 'modified' && f.reasons.some((r) => r !== 'system-dir'))
      .map((f) =>
        finding(facts, {
          rule: 'binary.modified-package-file',
          severity: 'critical',
          title: `${f.path} differs from its package ${f.package ?? ''} (${f.reasons.join(', ')})`.replace(/ {2}/, ' '),
          evidence: [
            {
              kind: 'hash',
              text: `${f.path}: checksum differs from package ${f.package ?? '?'}${f.sha256 ? `; sha256 ${f.sha256}` : ''}${f.size !== undefined ? `; ${f.size} bytes, mode ${f.mode}` : ''}${f.content ? `\n${f.content.slice(0, 1000)}` : ''}`,
              path: f.path,
              ...(f.sha256 ? { sha256: f.sha256 } : {}),
              ...(f.mtime ? { time: f.mtime } : {}),
            },
          ],
          iocs: f.sha256 ? [{ type: 'sha256', value: f.sha256 }] : [],
          artifacts: [],
          remedy: `Do not trust ${f.path}: reinstall ${f.package ?? 'its package'} (apt-get install --reinstall / dnf reinstall / apk fix) after keeping a copy as evidence.`,
        }),
      ),
};
