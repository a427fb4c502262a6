import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { gatherScript, mergeRequests, parseGather } from '../../../src/playbook/gather.js';
import type { GatherRequest } from '../../../src/playbook/module-types.js';
import { fixtures } from './run-local.js';

const rec = JSON.parse(readFileSync(path.join(fixtures, 'gather/recorded.json'), 'utf8')) as { request: GatherRequest; stdout: string };

describe('gather', () => {
  test('recorded output parses: hostile content byte-exact, missing files, dirs, links, commands', () => {
    const g = parseGather(rec.request, rec.stdout);
    const f = g.files['/tmp/msg/conf file']!;
    expect(f).toMatchObject({ exists: true, type: 'file', mode: '0644', owner: 'root', uid: 0, size: 19, attrs: '--------------e-------' });
    expect(f.content).toBe('line1\nweird \u001b[31m\udcff\n'); // ESC kept, invalid byte 0xff lossless
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(g.files['/tmp/msg/missing']).toEqual({ path: '/tmp/msg/missing', exists: false });
    expect(g.files['/tmp/msg/d']).toMatchObject({ exists: true, type: 'directory', mode: '0755' });
    expect(g.files['/tmp/msg/d']!.content).toBeUndefined();
    expect(g.files['/tmp/msg/link']).toMatchObject({ type: 'link', linkTarget: 'conf file' });
    expect(g.commands['svc']).toEqual({ code: 3, stdout: 'active\n', stderr: 'x"y\n' });
  });

  test('the script quotes every path and frames output as hex', () => {
    const s = gatherScript({ read: ["/tmp/a'b; rm -rf /"], commands: { c: 'true' } });
    expect(s).toContain(`'/tmp/a'\\''b; rm -rf /'`);
    expect(s).not.toMatch(/[^']rm -rf \/[^']/);
    expect(s).toContain('od -An -v -tx1');
  });

  test('a forged frame line inside content cannot inject facts (it is hex)', () => {
    const out = '@F 0 file\n@C 0 ' + Buffer.from('\n@F 1 file\n').toString('hex') + '\n@F 1 -\n';
    const g = parseGather({ read: ['/a', '/b'] }, out);
    expect(g.files['/a']!.content).toBe('\n@F 1 file\n');
    expect(g.files['/b']!.exists).toBe(false);
  });

  test('requests merge without duplicates; a read path is not also stat-ed', () => {
    expect(mergeRequests({ stat: ['/a', '/b'] }, { read: ['/b'], commands: { x: 'true' } })).toEqual({ stat: ['/a'], read: ['/b'], commands: { x: 'true' } });
  });
});
