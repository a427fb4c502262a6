/** "90s", "30m", "6h", "2d", "1w" (or a bare number of seconds) -> seconds; null when malformed. */
export function parseDuration(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$/i.exec(s);
  if (!m) return null;
  const mult = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[(m[2] ?? 's').toLowerCase() as 's'];
  return Math.round(Number(m[1]) * mult);
}
