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
    default:
      return `${name}: ${err?.message ?? String(e)}`;
  }
}
