/**
 * The command line's vocabulary: parameter flags generated from the catalogue (param-flags.ts: a
 * new parameter gets its flag for free), the Keras call form `relu(alpha=0.1, max_value=6)`, and
 * the argv clean-up commander needs (underscore spellings, negative numbers, bare booleans).
 * No parameter is checked here: values go as typed to the activation's bind(). No commander
 * here either (parser.ts), so main() loads it only for argument vectors that need it (args.ts).
 */
import { ActivError } from '../errors.js';
import type { ParamSpec } from '../kernels/spec.js';
import { parseNumber } from '../numbers/parse.js';
import { flagName, type ParamFlag } from './param-flags.js';

export { paramFlags, type ParamFlag } from './param-flags.js';

/** The placeholder that hides a negative number (-Infinity, -1E5, ...) from commander's option parsing. */
const NUM = '\u0000';

/**
 * Prepare argv for commander: `--max_value` -> `--max-value`; a boolean parameter flag not
 * followed by true/false gets `=true` (so `--approximate 1 2` keeps 1 and 2 as numbers);
 * negative numbers are wrapped so they are never read as options.
 */
export function preprocessArgv(argv: readonly string[], flags: readonly ParamFlag[]): string[] {
  const booleans = new Set(flags.filter((f) => f.boolean).map((f) => f.flag));
  const out: string[] = [];
  let literal = false;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (literal) {
      out.push(a);
      continue;
    }
    if (a === '--') {
      literal = true;
      out.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = flagName(eq < 0 ? a : a.slice(0, eq));
      a = eq < 0 ? name : name + a.slice(eq);
      if (eq < 0 && booleans.has(name) && !/^(true|false)$/i.test(argv[i + 1] ?? '')) a += '=true';
      out.push(a);
      continue;
    }
    if (a.length > 1 && a[0] === '-' && parseNumber(a) !== undefined) a = NUM + a;
    out.push(a);
  }
  return out;
}

export function unwrap(s: string): string {
  return s.startsWith(NUM) ? s.slice(1) : s;
}

/** Split at top-level commas (not inside brackets or quotes). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === '[' || ch === '(') {
      depth++;
      cur += ch;
    } else if (ch === ']' || ch === ')') {
      depth--;
      cur += ch;
    } else if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '' || out.length) out.push(cur);
  return out;
}

export interface CallForm {
  readonly name: string;
  readonly params: Record<string, string>;
}

/** `relu(alpha=0.1, max_value=6)` -> { name: 'relu', params: { alpha: '0.1', max_value: '6' } }; undefined if not a call. */
export function parseCallForm(text: string): CallForm | undefined {
  const m = /^\s*([A-Za-z_][\w.-]*)\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!m) {
    if (text.includes('(')) throw new ActivError(`'${text}': expected the form name(param=value, ...)`);
    return undefined;
  }
  const name = m[1].replace(/^(keras\.)?(activations\.|layers\.)?/, '');
  const params: Record<string, string> = {};
  for (const part of splitArgs(m[2])) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      throw new ActivError(`'${text}': '${part.trim()}' needs a name: write param=value (e.g. ${name}(alpha=0.1))`);
    }
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (!/^[A-Za-z_]\w*$/.test(key)) throw new ActivError(`'${text}': '${key}' is not a parameter name`);
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    if (key in params) throw new ActivError(`'${text}': ${key} given twice`);
    params[key] = value;
  }
  return { name, params };
}

const canonical = (k: string): string => k.replace(/-/g, '_').toLowerCase();

/** Flags and call-form parameters together; the same parameter both ways is an error. */
export function mergeParams(call: Record<string, string>, flags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...call };
  const seen = new Map(Object.keys(call).map((k) => [canonical(k), k]));
  for (const [k, v] of Object.entries(flags)) {
    const c = canonical(k);
    if (seen.has(c)) throw new ActivError(`${k} given twice: as --${k.replace(/_/g, '-')} and in the call form`);
    seen.set(c, k);
    out[k] = v;
  }
  return out;
}

/** "alpha=0.3" style text of a parameter's default. */
export function defaultText(p: ParamSpec): string {
  if (p.default === undefined) return 'required';
  if (p.default === null) return 'none';
  return String(p.default);
}

/** The parameters given as flags (commander's parsed options) and in the call form, merged. */
export function givenParams(opts: Readonly<Record<string, unknown>>, flags: readonly ParamFlag[], call: CallForm | undefined): Record<string, string> {
  const given: Record<string, string> = {};
  for (const f of flags) {
    const v = opts[f.attr];
    if (typeof v === 'string' || typeof v === 'boolean') given[f.key] = unwrap(String(v));
  }
  return mergeParams(call?.params ?? {}, given);
}
