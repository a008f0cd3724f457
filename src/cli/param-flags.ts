/**
 * The parameter flags (one per parameter name and alias across the catalogue) and how a typed
 * flag name is spelled for them, without commander: the quick path (quick.ts) reads them too,
 * and must not load the command-line parser. options.ts gives them to commander.
 */
import { activations } from '../kernels/names.js';

export interface ParamFlag {
  /** --max-value */
  readonly flag: string;
  /** The key given to bind: max_value (an alias such as negative_slope stays itself). */
  readonly key: string;
  /** Commander's attribute name: maxValue. */
  readonly attr: string;
  readonly boolean: boolean;
}

const camel = (s: string): string => s.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** One flag per parameter name and alias across the catalogue. */
export function paramFlags(): ParamFlag[] {
  const seen = new Map<string, ParamFlag>();
  for (const spec of activations()) {
    for (const p of spec.params) {
      for (const key of [p.name, ...(p.aliases ?? [])]) {
        const flag = `--${key.replace(/_/g, '-')}`;
        if (!seen.has(flag)) seen.set(flag, { flag, key, attr: camel(key), boolean: p.kind === 'boolean' });
      }
    }
  }
  return [...seen.values()];
}

/** `--max_value` is `--max-value`: underscores in a long option's name are dashes. */
export function flagName(name: string): string {
  return name.replace(/_/g, '-');
}
