import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { csvField, dataUri, iocsCsv, iocsYaml } from '../../../src/report/ioc-export.js';
import type { ReportIoc } from '../../../src/report/types.js';

const iocs: ReportIoc[] = [
  { type: 'ip', value: '203.0.113.7', family: 'ddg', hosts: ['web1', 'web2'] },
  { type: 'path', value: '/tmp/a,"b"\nc\udcff', hosts: ['web1'] },
  { type: 'process-name', value: '=HYPERLINK("http://x")', source: 'catalogue', hosts: [] },
];

describe('IOC exports', () => {
  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('-A INPUT')).toBe(`"'-A INPUT"`);
    const lines = iocsCsv(iocs).split('\r\n');
    expect(lines[0]).toBe('type,value,family,source,hosts');
    expect(lines[1]).toBe('ip,203.0.113.7,ddg,web1,web1 web2');
    expect(iocsCsv(iocs)).toContain('path,"/tmp/a,""b""\nc\udcff",,web1,web1');
    expect(iocsCsv(iocs)).toContain(`process-name,"'=HYPERLINK(""http://x"")",,catalogue,`);
  });

  it('YAML is an --ioc file: a top-level iocs list that parses back to the exact values', () => {
    const text = iocsYaml(iocs, 'run-1');
    expect(text.startsWith('# IOCs of minesweep run run-1')).toBe(true);
    const back = parse(text) as { iocs: Array<{ type: string; value: string; family?: string; source: string }> };
    expect(back.iocs.map((i) => i.value)).toEqual(iocs.map((i) => i.value));
    expect(back.iocs[0]).toEqual({ type: 'ip', value: '203.0.113.7', family: 'ddg', source: 'web1' });
  });

  it('data: URIs carry the bytes exactly, base64 only', () => {
    const uri = dataUri('text/csv', 'a\udcffb').markup;
    expect(uri).toMatch(/^data:text\/csv;charset=utf-8;base64,[A-Za-z0-9+/=]+$/);
    expect([...Buffer.from(uri.split(',')[1]!, 'base64')]).toEqual([0x61, 0xff, 0x62]);
  });
});
