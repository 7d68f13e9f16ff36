import { invalidRequest } from './errors';
import type { FormObject, FormValue } from './form';
import type { Metadata } from './shapes';

// Converters from form strings to typed params, with Stripe's error wording. An empty string means
// "unset" for nullable fields, as in the real API.

const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'created'];

/** Refuses unknown parameters (catches typos in tests instead of silently ignoring them). */
export function allowOnly(params: FormObject, allowed: string[], opts: { list?: boolean } = {}): void {
  const ok = new Set(opts.list ? [...allowed, ...LIST_PARAMS] : allowed);
  for (const k of Object.keys(params)) {
    if (!ok.has(k)) throw invalidRequest(`Received unknown parameter: ${k}`, k);
  }
}

export function str(params: FormObject, name: string, opts: { required?: boolean } = {}): string | undefined {
  const v = params[name];
  if (v === undefined) {
    if (opts.required) throw invalidRequest(`Missing required param: ${name}.`, name);
    return undefined;
  }
  if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${name}`, name);
  return v;
}

/** A nullable string: '' clears it (null). */
export function nullableStr(params: FormObject, name: string): string | null | undefined {
  const v = str(params, name);
  return v === '' ? null : v;
}

export function int(params: FormObject, name: string, opts: { required?: boolean; min?: number } = {}): number | undefined {
  const v = str(params, name, opts);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw invalidRequest(`Invalid integer: ${v}`, name);
  const n = Number(v);
  if (opts.min !== undefined && n < opts.min) throw invalidRequest(`Invalid integer: ${v}. This value must be greater than or equal to ${opts.min}.`, name);
  return n;
}

export function nullableInt(params: FormObject, name: string): number | null | undefined {
  if (params[name] === '') return null;
  return int(params, name);
}

export function bool(params: FormObject, name: string): boolean | undefined {
  const v = str(params, name);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw invalidRequest(`Invalid boolean: ${v}`, name);
  return v === 'true';
}

export function oneOf<T extends string>(params: FormObject, name: string, values: readonly T[]): T | undefined {
  const v = str(params, name);
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw invalidRequest(`Invalid ${name}: must be one of ${values.join(', ')}`, name);
  return v as T;
}

export function obj(params: FormObject, name: string): FormObject | null | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidRequest(`Invalid object: ${name}`, name);
  return v;
}

export function arr(params: FormObject, name: string): FormValue[] | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalidRequest(`Invalid array: ${name}`, name);
  return v;
}

/** metadata[key]=value; '' removes a key; metadata='' clears all. */
export function metadata(params: FormObject): Metadata | Record<string, string | null> | undefined {
  const v = params.metadata;
  if (v === undefined) return undefined;
  if (v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidRequest('Invalid object: metadata', 'metadata');
  const out: Record<string, string | null> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw invalidRequest(`Invalid metadata[${k}]`, `metadata[${k}]`);
    if (x.length > 500) throw invalidRequest(`Metadata values can have up to 500 characters, but you passed in a value that is ${x.length} characters.`, `metadata[${k}]`);
    out[k] = x === '' ? null : x;
  }
  return out;
}

/** Strips undefined values (so a patch only holds what the request set). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
