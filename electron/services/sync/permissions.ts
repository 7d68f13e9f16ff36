// Restricted keys (rk_…) are the least-privilege choice for a support tool, and one may lack a
// permission the sync would use. Stripe answers such a request 403 (StripePermissionError) naming
// the permission: "Having the 'rak_product_read' permission would allow this request to continue."
// The sync then carries on with what the key may read, and says in words what is missing.

const NAMES: Record<string, { label: string; effect: string }> = {
  rak_product_read: { label: 'Products: Read', effect: 'plan names are not shown on subscriptions' },
  rak_plan_read: { label: 'Prices: Read', effect: 'prices are not shown' },
  rak_customer_read: { label: 'Customers: Read', effect: 'customers and their payment methods are not synced' },
  rak_subscription_read: { label: 'Subscriptions: Read', effect: 'subscriptions are not synced' },
  rak_invoice_read: { label: 'Invoices: Read', effect: 'invoices and payment attempts are not synced' },
  rak_payment_method_read: { label: 'PaymentMethods: Read', effect: "only each customer's default payment method is synced" },
  rak_event_read: { label: 'Events: Read', effect: 'changes made in Stripe after the first sync do not arrive' },
  rak_payment_intent_read: { label: 'PaymentIntents: Read', effect: 'decline reasons may be missing' },
  rak_charge_read: { label: 'Charges: Read', effect: 'card outcomes may be missing' },
};

/** The permission a 403 says is missing (`rak_product_read`), 'unknown' when it names none; null: not a permission error. */
export function missingPermission(err: unknown): string | null {
  const e = err as { type?: string; statusCode?: number; message?: string } | null;
  if (e?.type !== 'StripePermissionError' && e?.statusCode !== 403) return null;
  return /'(rak_[a-z0-9_]+)'/.exec(e?.message ?? '')?.[1] ?? 'unknown';
}

function describeOne(permission: string): string {
  const known = NAMES[permission];
  if (known) return `${known.label} (${permission}): ${known.effect}`;
  if (permission === 'unknown') return 'a permission Stripe did not name: some data is not synced';
  return `${permission}: some data is not synced`;
}

/** Words for the person: what the key lacks, what that leaves out, what to do. */
export function missingPermissionWords(permissions: string[]): string {
  const unique = [...new Set(permissions)];
  const list = unique.map(describeOne).join('; ');
  return `The restricted Stripe key lacks ${unique.length === 1 ? 'a permission' : `${unique.length} permissions`} - ${list}. Everything else is synced. Grant ${unique.length === 1 ? 'it' : 'them'} to the key in the Stripe Dashboard (Developers > API keys), then run a full resync.`;
}
