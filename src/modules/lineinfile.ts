import { nothing, steps } from '../actions/types.js';
import { defineModule, type ValidationProblem } from '../playbook/module-types.js';
import { ownershipSteps, writeFileStep } from './support/file-steps.js';
import { editLines } from './support/line-edit.js';
import { absolutePathProblems, ownershipOf, OWNERSHIP_OPTIONS } from './support/owner-options.js';

// lineinfile: make sure one line is in a file (or absent), replacing the line that matches
// `regexp` (JavaScript syntax). Idempotent: plans nothing when the file already matches.

type Args = { path: string; line?: string; regexp?: string; state?: 'present' | 'absent'; insertafter?: string; insertbefore?: string; firstmatch?: boolean; create?: boolean; mode?: string | number; owner?: string; group?: string };

function regex(s: string): RegExp | string {
  try {
    return new RegExp(s);
  } catch (e) {
    return (e as Error).message;
  }
}

export const module = defineModule<Args>({
  name: 'lineinfile',
  description: 'ensure a line is present in (or absent from) a file',
  options: {
    path: { type: 'string', required: true, description: 'absolute path of the file on the host' },
    line: { type: 'string', description: 'the line (without newline) that should be there' },
    regexp: { type: 'string', description: 'the line to replace (state present) or remove (absent): a JavaScript regular expression' },
    state: { type: 'string', choices: ['present', 'absent'], description: 'present (default) or absent' },
    insertafter: { type: 'string', description: 'EOF (default) or a regexp: add the line after its last match' },
    insertbefore: { type: 'string', description: 'BOF or a regexp: add the line before its last match' },
    firstmatch: { type: 'boolean', description: 'use the first match of insertafter/insertbefore/regexp instead of the last' },
    create: { type: 'boolean', description: 'create the file when missing (default: fail)' },
    ...OWNERSHIP_OPTIONS,
  },
  validate(a) {
    const p: ValidationProblem[] = [];
    const state = a.state ?? 'present';
    p.push(...absolutePathProblems('path', a.path));
    if (state === 'present' && a.line === undefined) p.push({ message: 'state present needs "line"', expected: 'line: the text of the line', got: 'no line', fix: 'add line: …' });
    if (state === 'absent' && a.line === undefined && a.regexp === undefined) p.push({ message: 'state absent needs "regexp" or "line"', expected: 'regexp: ^pattern', got: 'neither', fix: 'add regexp: or line:' });
    if (a.line !== undefined && a.line.includes('\n')) p.push({ option: 'line', message: 'line must be a single line', expected: 'text without a newline', got: JSON.stringify(a.line).slice(0, 80), fix: 'use several lineinfile tasks, or copy/template for blocks' });
    if (a.insertafter !== undefined && a.insertbefore !== undefined) p.push({ option: 'insertbefore', message: 'insertafter and insertbefore exclude each other', expected: 'one of them', got: 'both', fix: 'remove one' });
    for (const k of ['regexp', 'insertafter', 'insertbefore'] as const) {
      const v = a[k];
      if (v !== undefined && !['EOF', 'BOF'].includes(v)) {
        const r = regex(v);
        if (typeof r === 'string') p.push({ option: k, message: `${k} is not a valid regular expression: ${r}`, expected: 'a JavaScript regular expression', got: v, fix: 'escape special characters with \\' });
      }
    }
    return p;
  },
  gather: (a) => ({ read: [a.path] }),
  plan(a, ctx) {
    const cur = ctx.gathered.files[a.path];
    const want = ownershipOf(a);
    if (!cur?.exists) {
      if ((a.state ?? 'present') === 'absent') return nothing(`${a.path} does not exist`);
      if (!a.create) throw new Error(`${a.path} does not exist; add "create: true" to create it`);
    } else if (cur.type !== 'file') throw new Error(`${a.path} is a ${cur.type}, not a regular file${cur.type === 'link' ? ' (a symlink is never edited through: edit the path it points to)' : ''}`);
    else if (cur.content === undefined) throw new Error(`${a.path} is too big to edit (over 4 MiB)`);
    const before = cur?.exists ? cur.content! : '';
    const after = editLines(before, {
      state: a.state ?? 'present',
      ...(a.line !== undefined ? { line: a.line } : {}),
      ...(a.regexp !== undefined ? { regexp: new RegExp(a.regexp) } : {}),
      ...(a.insertafter !== undefined ? { insertafter: a.insertafter } : {}),
      ...(a.insertbefore !== undefined ? { insertbefore: a.insertbefore } : {}),
      ...(a.firstmatch ? { firstmatch: true } : {}),
    });
    if (cur?.exists && after === before) {
      const own = ownershipSteps(a.path, cur, want, ctx.become, ctx.quarantineDir);
      return own.length ? steps(...own) : nothing(`${a.path} already ${(a.state ?? 'present') === 'present' ? 'has the line' : 'lacks the line'}`);
    }
    return steps(writeFileStep(a.path, after, cur, want, ctx.become, ctx.quarantineDir, `edit ${a.path}`));
  },
});
