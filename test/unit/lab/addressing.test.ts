import { describe, expect, it } from 'vitest';
import { controllerAddress, formatSubnet, hiddenSubnet, hostAddress, MAX_HOSTS, parseSubnet, poolAddress } from '../../../src/lab/addressing.js';

describe('lab addressing', () => {
  it('gives the controller .1, hosts .11 upwards and the pool .254', () => {
    const s = parseSubnet('198.18.3.0/24');
    expect(controllerAddress(s)).toBe('198.18.3.1');
    expect(hostAddress(s, 0)).toBe('198.18.3.11');
    expect(hostAddress(s, 49)).toBe('198.18.3.60');
    expect(poolAddress(s)).toBe('198.18.3.254');
    expect(formatSubnet(s)).toBe('198.18.3.0/24');
  });
  it('refuses what is not a /24 ending in .0, and too many hosts', () => {
    for (const bad of ['198.18.0.0/16', '198.18.0.1/24', '300.1.1.0/24', 'lab', '']) expect(() => parseSubnet(bad)).toThrow(/expected an IPv4 \/24/);
    expect(() => hostAddress(parseSubnet('10.0.0.0/24'), MAX_HOSTS)).toThrow(/at most/);
  });
  it('puts the hidden subnet at third octet + 100, and says when it cannot', () => {
    expect(formatSubnet(hiddenSubnet(parseSubnet('198.18.1.0/24')))).toBe('198.18.101.0/24');
    expect(() => hiddenSubnet(parseSubnet('198.18.200.0/24'))).toThrow(/at most 155/);
  });
});
