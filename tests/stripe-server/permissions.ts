import { StripeApiError } from './errors';

// Restricted keys (rk_…): Stripe lets an account hand out keys that may read or write only some
// resources. A request the key may not make is answered 403 with Stripe's words, e.g. "The
// provided key 'rk_test_***…abcd' does not have the required permissions for this endpoint on
// account 'acct_…'. Having the 'rak_product_read' permission would allow this request to continue."
// (type invalid_request_error, no code; stripe-node raises StripePermissionError). GET needs the
// resource's _read permission, POST and DELETE its _write (write implies read on Stripe, so a key
// denied rak_x_read is denied rak_x_write too).

/** The permission family of each top-level path segment (what the Dashboard calls the resource). */
const RESOURCE_PERMISSION: Record<string, string> = {
  customers: 'customer',
  payment_methods: 'payment_method',
  products: 'product',
  prices: 'plan',
  subscriptions: 'subscription',
  invoices: 'invoice',
  invoiceitems: 'invoice',
  invoice_payments: 'invoice',
  payment_intents: 'payment_intent',
  charges: 'charge',
  events: 'event',
  billing_portal: 'customer_portal',
};

/** The permission a request needs (null: any key may make it, e.g. GET /v1/account). */
export function requiredPermission(method: string, path: string): string | null {
  const segs = path.split('/').filter(Boolean); // ['v1', 'customers', ':id', 'payment_methods']
  let family = RESOURCE_PERMISSION[segs[1] ?? ''];
  if (!family) return null;
  // /v1/customers/:id/payment_methods reads payment methods.
  if (segs[1] === 'customers' && segs[3] === 'payment_methods') family = 'payment_method';
  return `rak_${family}_${method === 'GET' ? 'read' : 'write'}`;
}

export function masked(key: string): string {
  return `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
}

/** Throws Stripe's 403 when `denied` holds the permission this request needs. */
export function checkPermission(key: string, denied: readonly string[] | undefined, accountId: string, method: string, path: string): void {
  if (!denied?.length) return;
  const needed = requiredPermission(method, path);
  if (!needed) return;
  const readOfWrite = needed.endsWith('_write') ? needed.replace(/_write$/, '_read') : null;
  if (!denied.includes(needed) && !(readOfWrite && denied.includes(readOfWrite))) return;
  throw new StripeApiError(403, {
    type: 'invalid_request_error',
    message: `The provided key '${masked(key)}' does not have the required permissions for this endpoint on account '${accountId}'. Having the '${needed}' permission would allow this request to continue.`,
  });
}
