import { createHash } from 'node:crypto';
import { encodeLossless } from '../core/bytes.js';

/**
 * A file-name-safe form of a host name or a host path: [A-Za-z0-9._-] kept, the rest "_",
 * plus a short hash of the original bytes when anything was changed (no collisions).
 */
export function safeName(s: string): string {
  const plain = s.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120) || '_';
  if (plain === s) return s;
  return `${plain}.${createHash('sha256').update(encodeLossless(s)).digest('hex').slice(0, 8)}`;
}
