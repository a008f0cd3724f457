/** Build step (npm run build): write activ(1) to dist/man/activ.1 beside the compiled program. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { manPage } from './man.js';
import { version } from './program.js';

const dir = new URL('../man/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('activ.1', dir), manPage(version()));
