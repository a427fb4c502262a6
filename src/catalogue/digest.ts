import { createHash } from 'node:crypto';
import type { Catalogue } from './types.js';

/** sha256 of the loaded catalogue (built-in + --ioc files): two runs with the same digest judged with the same data. */
export function catalogueDigest(c: Catalogue): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex');
}
