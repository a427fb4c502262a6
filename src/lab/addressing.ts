// Address allocation on a lab's /24: the controller (bridge) gets .1, hosts .11 upwards,
// the pool .254. A hidden subnet (behind the bastion) is the third octet + 100.

export interface Subnet {
  /** the first three octets */
  octets: [number, number, number];
}

export const FIRST_HOST_OCTET = 11;
export const POOL_OCTET = 254;
export const MAX_HOSTS = POOL_OCTET - FIRST_HOST_OCTET - 4;

/** Parse "a.b.c.0/24"; anything else is an error saying what is expected. */
export function parseSubnet(cidr: string): Subnet {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(cidr.trim());
  const o = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
  if (!m || o.some((n) => n > 255)) {
    throw new Error(`--subnet ${JSON.stringify(cidr)}: expected an IPv4 /24 ending in .0, e.g. 198.18.0.0/24`);
  }
  return { octets: [o[0]!, o[1]!, o[2]!] };
}

export function formatSubnet(s: Subnet): string {
  return `${s.octets.join('.')}.0/24`;
}

function at(s: Subnet, last: number): string {
  return `${s.octets.join('.')}.${last}`;
}

export const controllerAddress = (s: Subnet): string => at(s, 1);
export const poolAddress = (s: Subnet): string => at(s, POOL_OCTET);

export function hostAddress(s: Subnet, index: number): string {
  if (index < 0 || index >= MAX_HOSTS) throw new Error(`lab host ${index + 1}: at most ${MAX_HOSTS} hosts fit in a /24 lab`);
  return at(s, FIRST_HOST_OCTET + index);
}

/** The subnet behind the bastion: third octet + 100 (198.18.1.0/24 → 198.18.101.0/24). */
export function hiddenSubnet(s: Subnet): Subnet {
  const third = s.octets[2] + 100;
  if (third > 255) throw new Error(`--bastion needs a hidden subnet at ${s.octets[0]}.${s.octets[1]}.${third}.0/24: use a --subnet whose third octet is at most 155`);
  return { octets: [s.octets[0], s.octets[1], third] };
}
