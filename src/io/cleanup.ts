/**
 * Temporary files that must not outlive the run: `-o`'s temp file and spill files that could not
 * be unlinked at once. SIGINT, SIGTERM and SIGHUP remove them all and end the process with
 * 128 + the signal's number (130, 143, 129), leaving every target as it was.
 */
import { unlinkSync } from 'node:fs';

const paths = new Set<string>();
let installed = false;

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** Remove every registered file now (signal handlers and exit). */
export function removeAll(): void {
  for (const p of paths) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
  paths.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const [name, n] of Object.entries(SIGNALS)) {
    process.on(name as NodeJS.Signals, () => {
      removeAll();
      process.exit(128 + n);
    });
  }
  // A crash or process.exit elsewhere: the files go too.
  process.on('exit', removeAll);
}

/** Remove `path` if the run is interrupted; the returned function forgets it (renamed or removed). */
export function removeOnSignal(path: string): () => void {
  install();
  paths.add(path);
  return () => void paths.delete(path);
}
