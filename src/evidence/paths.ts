// Where an executable lives says a lot: packaged binaries live in /usr, droppers in /tmp.

/** The path without the " (deleted)" suffix readlink adds for unlinked files. */
export const stripDeleted = (p: string): string => p.replace(/ \(deleted\)$/, '');

export const basename = (p: string): string => {
  const s = stripDeleted(p).replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1);
};

const TMP_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/shm/', '/dev/mqueue/', '/var/run/shm/'];

/** A memfd (fileless execution: memfd_create + execveat). */
export const isMemfd = (p: string): boolean => /^\/?memfd:/.test(stripDeleted(p));

/** In a world-writable temp dir, or a memfd (fileless). */
export function inTempDir(p: string): boolean {
  const s = stripDeleted(p);
  return s.startsWith('memfd:') || s.startsWith('/memfd:') || TMP_DIRS.some((d) => s.startsWith(d));
}

// dot-directories where developers legitimately keep executables
const TOOL_DOT_DIRS = new Set(['.local', '.nvm', '.cargo', '.rustup', '.vscode-server', '.pyenv', '.rbenv', '.sdkman', '.bun', '.deno', '.volta', '.npm', '.m2', '.gradle', '.dotnet', '.linuxbrew', '.asdf', '.build-id', '.acme.sh']);

/** Some directory of the path starts with a dot (and is not a known tool directory). */
export function inHiddenDir(p: string): boolean {
  const parts = stripDeleted(p).split('/').slice(0, -1);
  return parts.some((d) => d.startsWith('.') && d !== '.' && d !== '..' && !TOOL_DOT_DIRS.has(d));
}

/** A place no package manager installs to: temp dirs, memfd, hidden directories. */
export function inWritableLocation(p: string): boolean {
  return inTempDir(p) || inHiddenDir(p);
}

const PACKAGED = ['/usr/bin/', '/usr/sbin/', '/bin/', '/sbin/', '/usr/lib/', '/usr/lib64/', '/usr/libexec/', '/lib/', '/lib64/', '/usr/share/', '/snap/', '/usr/local/bin/', '/usr/local/sbin/', '/usr/local/lib/', '/opt/'];

/** Installed where packages (or admins) put programs. */
export function inPackagedPath(p: string): boolean {
  const s = stripDeleted(p);
  return PACKAGED.some((d) => s.startsWith(d)) && !inHiddenDir(s);
}
