/**
 * Parses Stripe-style form encoding (`a[b]=c`, `items[0][price]=p`, `expand[]=x`) into nested
 * objects and arrays of strings. Numeric keys and `[]` build arrays; everything else builds objects.
 * Values stay strings: each route converts the fields it knows (Stripe does the same per endpoint).
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export class FormError extends Error {}

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first < 0) return [key];
  const parts = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  const rest = key.slice(first);
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest))) {
    if (m.index !== consumed) throw new FormError(`Invalid parameter name: ${key}`);
    parts.push(m[1]);
    consumed = m.index + m[0].length;
  }
  if (consumed !== rest.length) throw new FormError(`Invalid parameter name: ${key}`);
  return parts;
}

function assign(root: FormObject, parts: string[], value: string): void {
  let node: FormObject | FormValue[] = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    const nextIsIndex = !last && (parts[i + 1] === '' || /^\d+$/.test(parts[i + 1]));
    if (Array.isArray(node)) {
      const index = part === '' ? node.length : Number(part);
      if (!Number.isInteger(index) || index > 10_000) throw new FormError(`Invalid array index in ${parts.join('.')}`);
      if (last) node[index] = value;
      else {
        if (node[index] == null || typeof node[index] === 'string') node[index] = nextIsIndex ? [] : {};
        node = node[index] as FormObject | FormValue[];
      }
    } else {
      if (part === '' || /^\d+$/.test(part)) throw new FormError(`Invalid parameter name: ${parts.join('.')}`);
      if (last) node[part] = value;
      else {
        const existing: FormValue | undefined = node[part];
        if (existing == null || typeof existing === 'string') node[part] = nextIsIndex ? [] : {};
        node = node[part] as FormObject | FormValue[];
      }
    }
  }
}

export function parseForm(encoded: string): FormObject {
  const out: FormObject = {};
  if (!encoded) return out;
  for (const pair of encoded.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    assign(out, splitKey(key), value);
  }
  // Sparse arrays (items[0], items[2]) become dense, as Stripe treats indexes as order only.
  return compact(out) as FormObject;
}

function compact(v: FormValue): FormValue {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (typeof v === 'object' && v !== null) {
    const o: FormObject = {};
    for (const [k, x] of Object.entries(v)) o[k] = compact(x);
    return o;
  }
  return v;
}
