import { invalidRequest } from './errors';
import type { FormValue } from './form';
import { list, type StripeObject } from './shapes';
import { PREFIX_TYPES } from './store-core';
import type { StripeStore } from './store';

/* eslint-disable @typescript-eslint/no-explicit-any -- the stand-in server builds and patches objects of every Stripe type generically; their shapes are checked against Stripe's own fixtures, not the SDK types */

// `expand[]` like Stripe: dotted paths, `data.` to reach into list items, at most 4 levels
// (`data.` counts). A reference (`cus_…`) becomes the object; an "includable" field that is absent
// by default (invoice.payments) is built. Stored objects are never modified: expansion copies.

export const MAX_EXPAND_DEPTH = 4;

/** Fields that are absent unless expanded. */
const INCLUDABLE: Record<string, Record<string, (store: StripeStore, owner: StripeObject) => unknown>> = {
  invoice: {
    payments: (store, inv) => {
      const all = store.paymentsOf(inv.id);
      return list(all.slice(0, 10), `/v1/invoices/${inv.id}/payments`, all.length > 10);
    },
  },
};

export function expandPaths(raw: FormValue | undefined): string[] {
  if (raw === undefined) return [];
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : Object.values(raw);
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string' || !v) throw invalidRequest('Invalid array', 'expand');
    out.push(v);
  }
  return out;
}

function resolveReference(store: StripeStore, id: string): StripeObject | null {
  const u = id.indexOf('_');
  const type = u > 0 ? PREFIX_TYPES[id.slice(0, u)] : undefined;
  if (!type) return null;
  const found = store.get(type, id);
  if (found) return found;
  if (store.collection(type).isDeleted(id)) return { id, object: type, deleted: true } as unknown as StripeObject;
  return null;
}

function expandAt(store: StripeStore, value: any, segments: string[], full: string): any {
  if (!segments.length || value == null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => expandAt(store, v, segments, full));
  // A deleted object is only {id, object, deleted}: Stripe ignores expansions into it.
  if (value.deleted === true) return value;
  const [key, ...rest] = segments;
  if (value.object === 'list' && key === 'data') {
    return { ...value, data: value.data.map((item: any) => expandAt(store, item, rest, full)) };
  }
  let current = value[key];
  if (current === undefined) {
    const include = INCLUDABLE[value.object]?.[key];
    if (!include) throw invalidRequest(`This property cannot be expanded (${key}).`, 'expand');
    current = include(store, value);
  } else if (typeof current === 'string') {
    const resolved = resolveReference(store, current);
    if (!resolved) throw invalidRequest(`This property cannot be expanded (${key}).`, 'expand');
    current = resolved;
  } else if (current !== null && typeof current !== 'object') {
    throw invalidRequest(`This property cannot be expanded (${key}).`, 'expand');
  }
  return { ...value, [key]: expandAt(store, current, rest, full) };
}

export function applyExpansions(store: StripeStore, body: unknown, paths: string[]): unknown {
  let out = body;
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_EXPAND_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_EXPAND_DEPTH} levels of a property. Property: ${path}`, 'expand');
    }
    if (segments.some((s) => !s)) throw invalidRequest(`Invalid expand path: ${path}`, 'expand');
    out = expandAt(store, out, segments, path);
  }
  return out;
}
