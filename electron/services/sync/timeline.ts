import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { describeDeclineCode } from '../../../shared/domain/decline-codes';
import { formatMoney } from '../../../shared/domain/money';

// What happened to a customer, in words, from the events the sync applies: the 360 view and the
// copilot read these rows. One row per event (keyed by the event id, so re-applying is harmless).

/* eslint-disable @typescript-eslint/no-explicit-any -- event payloads come in the event's own API version (DESIGN.md §3), not the SDK's pinned types, so every field is read defensively */
type Obj = Record<string, any>;

export interface TimelineRow {
  id: string;
  customerId: string;
  type: string;
  objectId: string | null;
  summary: string;
  created: number;
}

function customerOf(o: Obj): string | null {
  if (o.object === 'customer') return o.id;
  const c = o.customer;
  return typeof c === 'string' ? c : (c?.id ?? null);
}

function planName(sub: Obj): string {
  const items: Obj[] = sub.items?.data ?? [];
  const names = items.map((i) => {
    const p = i.price ?? {};
    const product = typeof p.product === 'object' && p.product ? p.product.name : null;
    const name = p.nickname ?? product ?? p.id ?? 'a price';
    return i.quantity && i.quantity !== 1 ? `${name} × ${i.quantity}` : name;
  });
  return names.join(', ') || 'a subscription';
}

function card(pm: Obj): string {
  return pm.card ? `${pm.card.brand ?? 'card'} •••• ${pm.card.last4 ?? '????'}` : `${pm.type ?? 'payment method'}`;
}

function invoiceLabel(inv: Obj): string {
  return inv.number ? `invoice ${inv.number}` : 'an invoice';
}

function describeSubscriptionChange(sub: Obj, prev: Obj): string {
  const parts: string[] = [];
  if ('status' in prev) parts.push(`status ${prev.status} → ${sub.status}`);
  if ('cancel_at_period_end' in prev) parts.push(sub.cancel_at_period_end ? 'set to cancel at the end of the period' : 'will no longer cancel at period end');
  if ('pause_collection' in prev) parts.push(sub.pause_collection ? `payments paused (${sub.pause_collection.behavior})` : 'payments resumed');
  if ('items' in prev) parts.push(`now ${planName(sub)}`);
  if ('default_payment_method' in prev) parts.push(sub.default_payment_method ? 'default payment method changed' : 'default payment method removed');
  if ('trial_end' in prev) parts.push('trial end changed');
  return parts.length ? `Subscription ${parts.join('; ')}` : 'Subscription updated';
}

const CUSTOMER_FIELDS: Record<string, string> = { email: 'email', name: 'name', phone: 'phone', address: 'address', description: 'description', metadata: 'metadata', invoice_settings: 'default payment method', delinquent: 'delinquency' };

/** The words for one event, or null when it is not worth a timeline line. */
export function summarize(event: Stripe.Event, latestDecline?: { decline_code: string | null; failure_code: string | null } | null): string | null {
  const o = event.data.object as unknown as Obj;
  const prev = ((event.data as { previous_attributes?: Obj }).previous_attributes ?? {}) as Obj;
  switch (event.type) {
    case 'customer.created':
      return `Customer created${o.email ? ` (${o.email})` : ''}`;
    case 'customer.updated': {
      const fields = Object.keys(prev).map((k) => CUSTOMER_FIELDS[k]).filter(Boolean);
      if ('delinquent' in prev) return o.delinquent ? 'Customer became delinquent (a payment failed)' : 'Customer is no longer delinquent';
      return fields.length ? `Customer ${[...new Set(fields)].join(', ')} changed` : null;
    }
    case 'customer.deleted':
      return 'Customer deleted in Stripe';
    case 'customer.subscription.created':
      return `Subscribed to ${planName(o)} (${o.status})`;
    case 'customer.subscription.updated':
      return describeSubscriptionChange(o, prev);
    case 'customer.subscription.deleted':
      return `Subscription to ${planName(o)} canceled`;
    case 'customer.subscription.paused':
      return 'Subscription paused';
    case 'customer.subscription.resumed':
      return 'Subscription resumed';
    case 'invoice.finalized':
      return `${capitalize(invoiceLabel(o))} finalized: ${formatMoney(o.amount_due, o.currency)} due`;
    case 'invoice.paid':
      return `${capitalize(invoiceLabel(o))} paid (${formatMoney(o.amount_paid, o.currency)})`;
    case 'invoice.payment_failed': {
      const why = latestDecline?.decline_code ? `: ${describeDeclineCode(latestDecline.decline_code)} (${latestDecline.decline_code})` : latestDecline?.failure_code ? ` (${latestDecline.failure_code})` : '';
      return `Payment of ${formatMoney(o.amount_remaining ?? o.amount_due, o.currency)} on ${invoiceLabel(o)} failed${why}, attempt ${o.attempt_count}`;
    }
    case 'invoice.voided':
      return `${capitalize(invoiceLabel(o))} voided`;
    case 'invoice.marked_uncollectible':
      return `${capitalize(invoiceLabel(o))} marked uncollectible`;
    case 'invoice.deleted':
      return 'Draft invoice deleted';
    case 'payment_method.attached':
      return `Card ${card(o)} added`;
    case 'payment_method.detached':
      return `Card ${card(o)} removed`;
    case 'payment_method.updated':
    case 'payment_method.automatically_updated':
      return `Card ${card(o)} updated${o.card ? ` (expires ${o.card.exp_month}/${o.card.exp_year})` : ''}`;
    default:
      return null;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The customer an event concerns (detached payment methods name it in previous_attributes). */
export function eventCustomer(event: Stripe.Event): string | null {
  const o = event.data.object as unknown as Obj;
  const prev = (event.data as { previous_attributes?: Obj }).previous_attributes;
  return customerOf(o) ?? (typeof prev?.customer === 'string' ? prev.customer : null);
}

export function timelineRowFor(event: Stripe.Event, latestDecline?: { decline_code: string | null; failure_code: string | null } | null): TimelineRow | null {
  const customerId = eventCustomer(event);
  if (!customerId) return null;
  const summary = summarize(event, latestDecline);
  if (!summary) return null;
  const o = event.data.object as unknown as Obj;
  return { id: event.id, customerId, type: event.type, objectId: typeof o.id === 'string' ? o.id : null, summary, created: event.created };
}

export function writeTimeline(db: Database.Database, accountId: string, row: TimelineRow): void {
  db.prepare('INSERT OR IGNORE INTO timeline_events (account_id, id, customer_id, type, object_id, summary, created) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(accountId, row.id, row.customerId, row.type, row.objectId, row.summary, row.created);
}
