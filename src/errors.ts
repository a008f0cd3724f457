/**
 * One error type for everything a user can cause. The command line maps `kind` to an exit code;
 * the library API lets it propagate. Messages are one line and say what to do.
 */
export type ErrorKind = 'usage' | 'data' | 'io';

export class ActivError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = 'usage',
  ) {
    super(message);
    this.name = 'ActivError';
  }
}

/** 0 ok, 1 bad data or I/O, 2 bad usage. */
export function exitCodeFor(kind: ErrorKind): 1 | 2 {
  return kind === 'usage' ? 2 : 1;
}
