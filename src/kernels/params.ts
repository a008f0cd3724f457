/**
 * Checking and completing an activation's parameters, once, before any data is touched.
 * Values may come typed (library callers) or as the strings a user typed (command line and
 * the Keras call form), so strings are parsed here with one strict syntax for both.
 */
import { ActivError } from '../errors.js';
import { parseNumber } from '../numbers/parse.js';
import type { BoundParams, ParamSpec, ParamValue } from './spec.js';

/** maxValue, max-value and max_value all name max_value. */
export function canonicalParamName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

function findParam(specs: readonly ParamSpec[], key: string): ParamSpec | undefined {
  const k = canonicalParamName(key);
  return specs.find((p) => p.name === k || (p.aliases ?? []).includes(k));
}

export function describeParams(specs: readonly ParamSpec[]): string {
  if (specs.length === 0) return 'no parameters';
  return specs.map((p) => p.name).join(', ');
}

function toNumber(activation: string, p: ParamSpec, v: unknown): number {
  let x: number | undefined;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string') x = parseNumber(v.trim());
  if (x === undefined || !Number.isFinite(x)) {
    throw new ActivError(`${activation}: ${p.name} must be a finite number, got ${JSON.stringify(v)}`);
  }
  if (p.min !== undefined && x < p.min) {
    throw new ActivError(`${activation}: ${p.name} must be >= ${p.min}, got ${x}`);
  }
  return x;
}

function toValue(activation: string, p: ParamSpec, v: unknown): ParamValue {
  const isNone = v === null || (typeof v === 'string' && /^(none|null)$/i.test(v.trim()));
  if (isNone) {
    if (p.default === null) return null;
    throw new ActivError(`${activation}: ${p.name} cannot be none`);
  }
  switch (p.kind) {
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false|1|0)$/i.test(v.trim())) return /^(true|1)$/i.test(v.trim());
      throw new ActivError(`${activation}: ${p.name} must be true or false, got ${JSON.stringify(v)}`);
    case 'axis': {
      const x = toNumber(activation, p, v);
      if (!Number.isInteger(x)) throw new ActivError(`${activation}: ${p.name} must be an integer, got ${x}`);
      return x;
    }
    case 'numbers': {
      let items: unknown[];
      if (v instanceof Float64Array || Array.isArray(v)) items = Array.from(v as ArrayLike<unknown>);
      else if (typeof v === 'string') items = v.replace(/^\s*\[|\]\s*$/g, '').split(',');
      else items = [v];
      if (items.length === 0) throw new ActivError(`${activation}: ${p.name} needs at least one value`);
      const xs = Float64Array.from(items, (item) => toNumber(activation, p, item));
      return xs.length === 1 ? xs[0] : xs;
    }
    case 'number':
      return toNumber(activation, p, v);
  }
}

/**
 * Map aliases to names, refuse unknown and doubled parameters, check values, fill defaults.
 * Throws ActivError('usage') with a message naming what the activation takes.
 */
export function bindParams(activation: string, specs: readonly ParamSpec[], given: Readonly<Record<string, unknown>> = {}): BoundParams {
  const out: Record<string, ParamValue> = {};
  const from: Record<string, string> = {};
  for (const [key, v] of Object.entries(given)) {
    if (v === undefined) continue;
    const p = findParam(specs, key);
    if (!p) {
      throw new ActivError(`${activation}: unknown parameter '${key}'; ${activation} takes ${describeParams(specs)}`);
    }
    if (p.name in out) {
      throw new ActivError(`${activation}: ${p.name} given twice (as '${from[p.name]}' and '${key}')`);
    }
    out[p.name] = toValue(activation, p, v);
    from[p.name] = key;
  }
  for (const p of specs) {
    if (p.name in out) continue;
    if (p.default === undefined) {
      throw new ActivError(`${activation}: missing required parameter '${p.name}' (${p.doc})`);
    }
    out[p.name] = p.default;
  }
  return out;
}
