// Catalogue names and paths are globs: `*` any run, `?` one character, `~/` any home dir.

const cache = new Map<string, RegExp>();

function toRegExp(glob: string): RegExp {
  let re = '';
  let g = glob;
  if (g.startsWith('~/')) {
    re = '(?:/root|/home/[^/]+|/var/lib/[^/]+|/var/spool/[^/]+|/srv/[^/]+)/';
    g = g.slice(2);
  }
  for (const ch of g) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 's');
}

/** Whole-string glob match. */
export function globMatch(glob: string, s: string): boolean {
  let re = cache.get(glob);
  if (!re) cache.set(glob, (re = toRegExp(glob)));
  return re.test(s);
}

/** Path glob match: also true when `s` is inside a directory the glob names. */
export function pathGlobMatch(glob: string, s: string): boolean {
  return globMatch(glob, s) || (!glob.endsWith('*') && globMatch(`${glob}/*`, s));
}
