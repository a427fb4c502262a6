import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../../src/commands/report.js';
import { hostileRun } from '../../fixtures/runs/hostile-run.js';
import { writeRunDir } from '../../fixtures/runs/run-dir.js';

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  process.exitCode = undefined;
  try {
    const program = new Command('minesweep').exitOverride();
    register(program);
    await program.parseAsync(['node', 'minesweep', 'report', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out: out.join(''), err: err.join(''), code };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('minesweep report', () => {
  it('re-renders report.html and report.json into the run directory and prints the totals', async () => {
    const dir = writeRunDir(hostileRun());
    const r = await cli(dir);
    expect(r.code).toBeUndefined();
    expect(r.out).toContain('6 hosts: 3 infected, 2 cleaned, 1 still infected, 0 closed, 1 open, 1 unreachable');
    expect(existsSync(path.join(dir, 'report.html')) && existsSync(path.join(dir, 'report.json'))).toBe(true);
  });

  it('writes one format to --out', async () => {
    const dir = writeRunDir(hostileRun());
    const out = path.join(dir, 'elsewhere.json');
    const r = await cli(dir, '--out', out);
    expect(r.code).toBeUndefined();
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('minesweep.report/3');
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });

  it('says what is wrong and how to fix it', async () => {
    expect(await cli('/nonexistent/run')).toMatchObject({ code: 2, err: expect.stringContaining('/nonexistent/run/run.json: cannot read the run record (ENOENT)') });
    expect(await cli('x', '--format', 'pdf')).toMatchObject({ code: 2, err: expect.stringContaining('--format: expected html or json, got "pdf"') });
    expect(await cli('x', '--out', 'report.txt')).toMatchObject({ code: 2, err: expect.stringContaining('add --format html or --format json') });
  });
});
