/**
 * Where `-o FILE` writes, decided once before any output: an existing target that is not a
 * regular file (device, FIFO, socket, /dev/fd/N, /dev/stdout, a process substitution) is written
 * directly, as a shell redirection would; a regular file (through any symlinks) is replaced by a
 * temporary file created exclusively with mode 0600 beside the file it resolves to, whose final
 * mode (the replaced file's, or 0666 minus the umask) is set through the open descriptor.
 */
import { constants, lstatSync, openSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ActivError } from '../errors.js';
import { ioMessage } from './errno.js';

export type Target =
  | { kind: 'direct'; path: string }
  | { kind: 'replace'; dest: string; mode: number; owner?: { uid: number; gid: number } };

const stat = (p: string): Stats | undefined => {
  try {
    return statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ActivError(ioMessage(p, e), 'io');
  }
};

/** The file a dangling symlink would create, following links that do resolve. */
function danglingDest(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(p).isSymbolicLink()) return p;
      link = readlinkSync(p);
    } catch {
      return p;
    }
    p = resolve(dirname(p), link);
  }
  throw new ActivError(`${path}: too many levels of symbolic links`, 'io');
}

function umask(): number {
  const m = process.umask(0o022);
  process.umask(m);
  return m;
}

export function resolveTarget(path: string): Target {
  const abs = absolute(path);
  const st = stat(abs);
  // /dev and /proc names (/dev/stdout, /dev/fd/N) stand for open descriptors: never replace them.
  if (st?.isDirectory()) throw new ActivError(`${path}: is a directory`, 'io');
  if (st && (!st.isFile() || abs.startsWith('/dev/') || abs.startsWith('/proc/'))) return { kind: 'direct', path };
  if (!st) return { kind: 'replace', dest: danglingDest(abs), mode: 0o666 & ~umask() };
  const dest = realpathSync(abs);
  const owner = st.uid !== process.getuid?.() || st.gid !== process.getgid?.() ? { uid: st.uid, gid: st.gid } : undefined;
  return { kind: 'replace', dest, mode: st.mode & 0o7777, owner };
}

/** path made absolute; a relative one fails in one line when the current folder was removed (uv_cwd: ENOENT). */
function absolute(path: string): string {
  try {
    return resolve(path);
  } catch {
    throw new ActivError(`${path}: the current folder no longer exists (removed while activ ran in it); give an absolute path`, 'io');
  }
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * 16 characters of [A-Za-z0-9_-] (96 bits) for a temporary file's name, from Math.random: V8
 * seeds it per process from the system's entropy, so another process cannot predict the name, and
 * two runs do not collide. Exclusive creation (O_EXCL, O_NOFOLLOW), not the name, is what makes the
 * file safe. node:crypto's randomBytes would cost ~3.5 ms of start-up to load on every -o run.
 */
export function randomName(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += NAME_CHARS[(Math.random() * 64) | 0];
  return s;
}

/**
 * A new temporary file beside `dest`: an unpredictable short name (the target's own name is not
 * part of it, so a 255-byte name still has room), created exclusively with mode 0600.
 */
export function createTemp(dest: string, display = dest): { path: string; fd: number } {
  const dir = dirname(dest);
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, `.activ-${randomName()}.tmp`);
    try {
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
      return { path, fd };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 8) continue;
      throw new ActivError(ioMessage(display, e), 'io');
    }
  }
}
