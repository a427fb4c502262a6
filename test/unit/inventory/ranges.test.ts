import { describe, expect, it } from 'vitest';
import { expandHostPattern, expandHostRange, splitHostPort } from '../../../src/inventory/ranges.js';

describe('host ranges', () => {
  it('expands numeric ranges keeping the zero padding', () => {
    expect(expandHostRange('web[01:03].example.com')).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com']);
    expect(expandHostRange('web[8:10]')).toEqual(['web8', 'web9', 'web10']);
    expect(expandHostRange('web[:2]')).toEqual(['web0', 'web1', 'web2']);
  });

  it('takes a step and letters', () => {
    expect(expandHostRange('n[01:09:4]')).toEqual(['n01', 'n05', 'n09']);
    expect(expandHostRange('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostRange('x[a:e:2]')).toEqual(['xa', 'xc', 'xe']);
    expect(expandHostRange('x[a:C]')).toContain('xz'); // Ansible's letter order is a..zA..Z
    expect(() => expandHostRange('x[Y:b]')).toThrow(/begin <= end/);
  });

  it('expands several ranges in one name, left to right', () => {
    expect(expandHostRange('r[1:2]-n[a:b]')).toEqual(['r1-na', 'r1-nb', 'r2-na', 'r2-nb']);
  });

  it('rejects bad ranges with what was expected and the fix', () => {
    expect(() => expandHostRange('web[1]')).toThrow(/expected begin:end or begin:end:step inside \[ \], got "1"\. Fix: write ranges as/);
    expect(() => expandHostRange('web[1:]')).toThrow(/expected an end value/);
    expect(() => expandHostRange('web[01:100]')).toThrow(/same width/);
    expect(() => expandHostRange('web[5:1]')).toThrow(/begin <= end/);
    expect(() => expandHostRange('web[1:x]')).toThrow(/numbers \(01:50\) or single letters/);
    expect(() => expandHostRange('web[1:3:0]')).toThrow(/step/);
    expect(() => expandHostRange('web[1:3')).toThrow(/closing/);
  });

  it('splits a port off a host or a range, not off an IPv6 address', () => {
    expect(splitHostPort('badwolf.example.com:5309')).toEqual({ host: 'badwolf.example.com', port: 5309 });
    expect(expandHostPattern('web[1:2]:2222')).toEqual({ hosts: ['web1', 'web2'], port: 2222 });
    expect(splitHostPort('[2001:db8::1]:22')).toEqual({ host: '2001:db8::1', port: 22 });
    expect(splitHostPort('2001:db8::1')).toEqual({ host: '2001:db8::1' });
    expect(splitHostPort('web[1:2]')).toEqual({ host: 'web[1:2]' });
  });
});
