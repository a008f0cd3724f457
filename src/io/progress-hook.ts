/**
 * Where reading has got to, for the progress line (src/cli/progress.ts): the readers call
 * `reportRead` with the offset reached and the input's size (0 when unknown, as for a pipe).
 * Nothing is done unless a listener is installed, so the readers pay one check per chunk.
 */
type Listener = (offset: number, size: number) => void;

let listener: Listener | undefined;

export function reportRead(offset: number, size: number): void {
  if (listener) listener(offset, size);
}

/** Whether anyone listens (a reader may then look up its input's size). */
export const readWatched = (): boolean => listener !== undefined;

export function setReadListener(l: Listener | undefined): void {
  listener = l;
}
