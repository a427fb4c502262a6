import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { diffLines, unifiedDiff } from '../../../src/core/diff.js';

/** Apply a unified diff with patch(1) when available, else check by hand. */
function patchApplies(before: string, diff: string, after: string): boolean {
  const d = mkdtempSync(path.join(tmpdir(), 'ms-diff-'));
  try {
    writeFileSync(path.join(d, 'f'), before);
    writeFileSync(path.join(d, 'p'), diff);
    execFileSync('patch', ['-s', path.join(d, 'f'), path.join(d, 'p')]);
    return execFileSync('cat', [path.join(d, 'f')]).toString() === after;
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

let hasPatch = true;
try {
  execFileSync('patch', ['--version']);
} catch {
  hasPatch = false;
}

describe('unified diff', () => {
  test('equal texts: empty', () => {
    expect(unifiedDiff('f', 'a\n', 'a\n')).toBe('');
  });

  test('one changed line with context and hunk header', () => {
    const a = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\n';
    const b = 'l1\nl2\nl3\nX\nl5\nl6\nl7\n';
    expect(unifiedDiff('/etc/f', a, b)).toBe('--- /etc/f\n+++ /etc/f\n@@ -1,7 +1,7 @@\n l1\n l2\n l3\n-l4\n+X\n l5\n l6\n l7\n');
  });

  test('new file and deleted file', () => {
    expect(unifiedDiff('/f', null, 'a\nb\n')).toBe('--- /dev/null\n+++ /f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('/f', 'a\n', null)).toBe('--- /f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
  });

  test('missing newline at end of file is shown', () => {
    expect(unifiedDiff('f', 'a\nb', 'a\nb\n')).toBe('--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  });

  test('far-apart changes make separate hunks', () => {
    const a = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n';
    const b = a.replace('l2\n', 'two\n').replace('l25\n', 'twentyfive\n');
    const d = unifiedDiff('f', a, b);
    expect(d.match(/^@@/gm)).toHaveLength(2);
  });

  test('the edit script is minimal', () => {
    const ops = diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
    expect(ops.filter((o) => o.kind !== ' ')).toHaveLength(5); // Myers' paper example: D = 5
  });

  test.skipIf(!hasPatch)('patch(1) turns before into after', () => {
    const cases: Array<[string, string]> = [
      ['a\nb\nc\n', 'a\nc\nd\n'],
      ['', 'new\n'],
      ['x\n'.repeat(20) + 'y\n', 'x\n'.repeat(10) + 'z\n' + 'x\n'.repeat(10) + 'y\nw\n'],
      ['keep\nlast', 'keep\nlast\nmore\n'],
      ['* * * * * root curl x | sh\n0 3 * * * root backup\n', '0 3 * * * root backup\n'],
    ];
    for (const [a, b] of cases) expect(patchApplies(a, unifiedDiff('f', a, b), b), JSON.stringify([a, b])).toBe(true);
  });
});
