import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildScript } from '../../../src/probe/script.js';

// ms_encv (a shell value framed by the shell itself) gives the bytes ms_enc (sed) gives, in
// every shell the probe meets.
const script = buildScript({ only: [] });
const helpers = script.slice(script.indexOf('ms_enc() {'), script.indexOf('ms_r() {'));
const values = ['', 'a', 'a\n', '\n', 'a\nb', 'a\nb\n', '\n\n', 'x\n\ny', '%s\\n\\', '|~', '~', '@B x\n~\n', ' lead  trail  ', '-n', 'a*b?[c]\n*', 'é\t\r\x01', 'x'.repeat(4096), 'x'.repeat(4097), 'line\n'.repeat(900)];
const shells = ['dash', 'bash', 'busybox'].filter((s) => spawnSync('sh', ['-c', `command -v ${s}`]).status === 0);

describe.each(shells)('ms_encv in %s', (shell) => {
  it('frames every value exactly as ms_enc does', () => {
    const body = values.map((v, i) => `v=$(printf '%s' ${JSON.stringify(Buffer.from(v).toString('base64'))} | base64 -d; printf .); v=\${v%.}\nprintf '@%s\\n' ${i}; printf '%s' "$v" | ms_enc; printf '@%s\\n' ${i}; ms_encv "$v"`).join('\n');
    const args = shell === 'busybox' ? ['sh', '-c', `MS_ENC=r\n${helpers}\n${body}`] : ['-c', `MS_ENC=r\n${helpers}\n${body}`];
    const out = spawnSync(shell, args, { encoding: 'latin1' }).stdout;
    const parts = out.split(/^@\d+\n/m).slice(1);
    expect(parts.length).toBe(values.length * 2);
    for (let i = 0; i < values.length; i++) expect([i, parts[2 * i + 1]]).toEqual([i, parts[2 * i]]);
  });
});
