/**
 * Column selection, `-c, --columns`: a comma-separated list of 1-based indices (`3`), header
 * names or JSON keys (`price`), ranges (`2-5`, `3-` to the end of each row) and negations
 * (`!id`, `!1-2`). Positive items are united, in the order given for the first mention; negated
 * items are then removed. A list of only negations starts from every column.
 * A name that is also a number (a header "2") is read as an index; quote nothing, there is no
 * escaping: a name containing a comma cannot be selected by name (use its index).
 */
import { ActivError } from '../errors.js';

type Item =
  | { kind: 'index'; from: number; to: number | undefined } // 0-based, inclusive; to undefined: open range
  | { kind: 'name'; name: string };

interface Term {
  neg: boolean;
  item: Item;
}

export interface Selection {
  /** The text as given, for messages. */
  readonly spec: string;
  /** Selected cell indices for a row of `width` cells with these names (header or keys), in cell order. */
  indices(width: number, names: readonly string[] | undefined, missingOk?: boolean): number[];
  /** True when some item is a name (needs a header or record keys). */
  readonly usesNames: boolean;
  /**
   * Refuse what would silently select nothing or the wrong column, before any output: an index
   * past the table's width (its header or first row), a name that several columns share.
   */
  check(width: number, names: readonly string[] | undefined): void;
}

export function parseColumns(spec: string): Selection {
  const terms: Term[] = [];
  for (const part of spec.split(',')) {
    let t = part.trim();
    if (t === '') throw new ActivError(`--columns '${spec}': empty item`);
    const neg = t.startsWith('!');
    if (neg) t = t.slice(1).trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\d+)$/.exec(t))) {
      const i = Number(m[1]);
      if (i < 1) throw new ActivError(`--columns '${spec}': columns count from 1`);
      terms.push({ neg, item: { kind: 'index', from: i - 1, to: i - 1 } });
    } else if ((m = /^(\d+)-(\d*)$/.exec(t))) {
      const a = Number(m[1]);
      const b = m[2] === '' ? undefined : Number(m[2]);
      if (a < 1 || (b !== undefined && b < a)) throw new ActivError(`--columns '${spec}': bad range '${t}'`);
      terms.push({ neg, item: { kind: 'index', from: a - 1, to: b === undefined ? undefined : b - 1 } });
    } else if (t === '') {
      throw new ActivError(`--columns '${spec}': '!' needs a column after it`);
    } else {
      terms.push({ neg, item: { kind: 'name', name: t } });
    }
  }
  const usesNames = terms.some((t) => t.item.kind === 'name');
  const onlyNeg = terms.every((t) => t.neg);
  const cache = new Map<number, number[]>();

  const expand = (item: Item, width: number, names: readonly string[] | undefined, missingOk: boolean): number[] => {
    if (item.kind === 'index') {
      const out: number[] = [];
      const to = item.to === undefined ? width - 1 : Math.min(item.to, width - 1);
      for (let i = item.from; i <= to; i++) out.push(i);
      return out;
    }
    if (!names) throw new ActivError(`--columns: '${item.name}' is a name, but the input has no header; use column numbers (1, 2, ...) or --header`);
    const i = names.indexOf(item.name);
    if (i < 0) {
      if (missingOk) return [];
      const list = names.slice(0, 12).map((n) => `'${n}'`).join(', ');
      throw new ActivError(`--columns: no column named '${item.name}'; the columns are ${list}${names.length > 12 ? ', ...' : ''}`);
    }
    return [i];
  };

  return {
    spec,
    usesNames,
    check(width, names) {
      for (const t of terms) {
        const item = t.item;
        if (item.kind === 'index' && item.from >= width) {
          const what = item.to === item.from ? `column ${item.from + 1} is` : `columns ${item.from + 1}-${item.to === undefined ? '' : item.to + 1} are`;
          throw new ActivError(`--columns '${spec}': ${what} past the input's ${width} column${width === 1 ? '' : 's'}`);
        }
        if (item.kind === 'name' && names) {
          const at = names.flatMap((n, i) => (n === item.name ? [i + 1] : []));
          if (at.length > 1) throw new ActivError(`--columns '${spec}': '${item.name}' names columns ${at.join(' and ')}; choose by number`);
        }
      }
    },
    indices(width, names, missingOk = false) {
      // Names are fixed per input, so a cache by width is safe only without names.
      const cached = !usesNames ? cache.get(width) : undefined;
      if (cached) return cached;
      const on = new Uint8Array(width);
      if (onlyNeg) on.fill(1);
      for (const t of terms) if (!t.neg) for (const i of expand(t.item, width, names, missingOk)) if (i < width) on[i] = 1;
      for (const t of terms) if (t.neg) for (const i of expand(t.item, width, names, missingOk)) if (i < width) on[i] = 0;
      const out: number[] = [];
      for (let i = 0; i < width; i++) if (on[i]) out.push(i);
      if (!usesNames) cache.set(width, out);
      return out;
    },
  };
}
