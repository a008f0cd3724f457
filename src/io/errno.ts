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
    default:
      return `${name}: ${(err?.message ?? String(e)).split('\n')[0]}`;
  }
}
