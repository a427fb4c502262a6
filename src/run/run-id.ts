import { randomBytes } from 'node:crypto';

/** `20261123T094501Z-3f9a1c`: UTC time (sorts by name) and a short random id. */
export function newRunId(now: Date = new Date(), rand: string = randomBytes(3).toString('hex')): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${t}-${rand}`;
}
