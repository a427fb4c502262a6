import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';

// The run directory holds copies of root's crontabs, authorized_keys, process argv and
// generated secrets: every directory in it is created 0700 and every file 0600, at creation
// (not chmodded afterwards), and a file written again is never left wider than 0600.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** mkdir -p with 0700 for every directory it creates. */
export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Write a whole file, created 0600; an existing file is narrowed to 0600 before its bytes change. */
export function writePrivate(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at, buf.length - at);
  } finally {
    closeSync(fd);
  }
}
