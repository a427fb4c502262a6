import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogueLoadError, loadCatalogue, parseCatalogueText } from '../../../src/catalogue/load.js';

describe('catalogue', () => {
  it('the built-in catalogue loads and has the families the guides name', () => {
    const c = loadCatalogue();
    expect(c.families.map((f) => f.id)).toEqual(expect.arrayContaining(['minerd', 'ddg', 'kinsing', 'outlaw', 'skidmap', 'cleanfda', 'aliyunduns', 'sysupdate', 'teamtnt', 'xmrig']));
    expect(c.minerPorts).toEqual(expect.arrayContaining([3333, 4444, 5555, 7777, 14444, 45700]));
    expect(c.minerMarkers.map((m) => m.text)).toEqual(expect.arrayContaining(['stratum+tcp://', 'stratum+ssl://', '--donate-level', '--algo rx/0']));
  });

  it('errors carry file:line, what was expected and what was found', () => {
    const text = ['families:', '  - id: ok', '    processes:', '      - { name: x, role: boss }', '  - id: Bad Id', 'minerPorts: [3333, 70000]', 'iocs:', '  - { type: ip, value: not-an-ip }', 'colour: red'].join('\n');
    const { errors } = parseCatalogueText(text, 'incident.yml');
    const lines = errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
    expect(lines).toEqual([
      expect.stringMatching(/^incident\.yml:9: colour: expected one of the keys/),
      expect.stringMatching(/^incident\.yml:4: families\[0\]\.processes\[0\]\.role: expected one of miner, watchdog, other, got "boss"/),
      expect.stringMatching(/^incident\.yml:5: families\[1\]\.id: expected an id/),
      expect.stringMatching(/^incident\.yml:6: minerPorts\[1\]: expected a port number 1-65535, got 70000/),
      expect.stringMatching(/^incident\.yml:8: iocs\[0\]\.value: expected an IPv4 or IPv6 address, got "not-an-ip"/),
    ]);
    expect(errors.length).toBe(5);
  });

  it('YAML syntax errors point at the line', () => {
    const { errors } = parseCatalogueText('families:\n  - id: a\n    paths: [/tmp/x\n', 'x.yml');
    expect(errors[0]).toMatchObject({ file: 'x.yml' });
    expect(errors[0]!.message).toMatch(/not valid YAML/);
  });

  it('--ioc files extend families and add indicators without code', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-'));
    const file = path.join(dir, 'incident.yml');
    writeFileSync(file, 'families:\n  - id: kinsing\n    paths: [/var/tmp/.kinsing2]\n  - id: newfam\n    processes: [{ name: zzminer, role: miner }]\niocs:\n  - { type: domain, value: C2.Example.NET, family: newfam }\n');
    const c = loadCatalogue([file]);
    expect(c.families.find((f) => f.id === 'kinsing')!.paths).toEqual(expect.arrayContaining(['/tmp/kinsing', '/var/tmp/.kinsing2']));
    expect(c.families.find((f) => f.id === 'newfam')!.processes).toEqual([{ name: 'zzminer', role: 'miner' }]);
    expect(c.iocs).toContainEqual({ type: 'domain', value: 'c2.example.net', family: 'newfam' });
  });

  it('a bad --ioc file throws with every problem', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-'));
    const file = path.join(dir, 'bad.yml');
    writeFileSync(file, 'iocs:\n  - { type: hash, value: abc }\n');
    expect(() => loadCatalogue([file])).toThrow(CatalogueLoadError);
    expect(() => loadCatalogue([file])).toThrow(new RegExp(`${file}:2: iocs\\[0\\]\\.type`));
  });
});
