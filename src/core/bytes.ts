// Lossless bytes <-> string: valid UTF-8 decodes normally; each invalid byte b becomes
// the lone surrogate U+DC00+b (Python's "surrogateescape"), so hostile names survive a
// round trip through JSON and back to the exact bytes on the host.

/** Decode bytes as UTF-8, mapping every byte of an invalid sequence to U+DC00+byte. */
export function decodeLossless(buf: Uint8Array): string {
  // Fast path: nearly all host text is valid UTF-8.
  try {
    return strictUtf8.decode(buf);
  } catch {
    return decodeSlow(buf);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeSlow(buf: Uint8Array): string {
  let out = '';
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b0 = buf[i]!;
    if (b0 < 0x80) {
      // fast path for runs of ASCII
      let j = i;
      while (j < n && buf[j]! < 0x80) j++;
      out += Buffer.from(buf.buffer, buf.byteOffset + i, j - i).toString('latin1');
      i = j;
      continue;
    }
    const len = b0 >= 0xf0 && b0 <= 0xf4 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : 0;
    if (len > 0 && i + len <= n && validSequence(buf, i, len)) {
      let cp = len === 2 ? b0 & 0x1f : len === 3 ? b0 & 0x0f : b0 & 0x07;
      for (let k = 1; k < len; k++) cp = (cp << 6) | (buf[i + k]! & 0x3f);
      out += String.fromCodePoint(cp);
      i += len;
    } else {
      out += String.fromCharCode(0xdc00 + b0);
      i += 1;
    }
  }
  return out;
}

function validSequence(buf: Uint8Array, i: number, len: number): boolean {
  const b0 = buf[i]!;
  for (let k = 1; k < len; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return false;
  const b1 = buf[i + 1]!;
  if (len === 3) {
    if (b0 === 0xe0 && b1 < 0xa0) return false; // overlong
    if (b0 === 0xed && b1 >= 0xa0) return false; // UTF-16 surrogates
  }
  if (len === 4) {
    if (b0 === 0xf0 && b1 < 0x90) return false;
    if (b0 === 0xf4 && b1 >= 0x90) return false;
  }
  return true;
}

/** Inverse of decodeLossless: escaped surrogates become their original byte again. */
export function encodeLossless(s: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && isHigh(s.charCodeAt(i - 1)))) {
      if (i > start) parts.push(Buffer.from(s.slice(start, i), 'utf8'));
      parts.push(Buffer.from([c - 0xdc00]));
      start = i + 1;
    }
  }
  if (start < s.length) parts.push(Buffer.from(s.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** True when the string holds bytes that were not valid UTF-8 on the host. */
export function hasRawBytes(s: string): boolean {
  return /[\udc80-\udcff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}
