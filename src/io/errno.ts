/** How I/O failures are worded: one short phrase per errno code, after the name of the file. */

export function ioMessage(name: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return `${name}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${name}: permission denied`;
    case 'EISDIR':
      return `${name}: is a directory`;
    case 'ENOSPC':
      return `${name}: no space left on device`;
    case 'EDQUOT':
      return `${name}: disk quota exceeded`;
    case 'EBADF':
      return `${name}: bad file descriptor (closed?)`;
    case 'EROFS':
      return `${name}: read-only file system`;
    case 'ENAMETOOLONG':
      return `${name}: file name too long`;
    case 'ENOTDIR':
      return `${name}: a part of the path is not a directory`;
    case 'EFBIG':
      return `${name}: file too large (over the file size limit, ulimit -f)`;
    case 'EMFILE':
    case 'ENFILE':
      return `${name}: too many open files (ulimit -n)`;
    case 'EIO':
      return `${name}: input/output error (a device or network file system failed)`;
    default:
      return `${name}: ${(err?.message ?? String(e)).split('\n')[0]}`;
  }
}
