import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { deleteInvoice, deleteInvoicePayment, ingestInvoicePayment, ingestObject, ingestSubscription, markCustomerDeleted, type IngestResult } from '../stripe/ingest';
import type { ProductNames } from '../stripe/product-names';

// One object of the team server's Stripe mirror (a snapshot row or a feed entry) written into a
// desk's cache through the desk's own ingest. The server already ordered the versions (its guard
// is the desk's), so the desk writes with the 'latest' guard and the feed's sequence number as the
// version: a later entry always wins, an entry applied twice is a no-op. Seq numbers are small next
// to Stripe times, so a team desk starts from a snapshot into a cache of its own: rows a solo sync
// wrote carry Stripe times and would out-rank every feed entry.

export interface MirrorEntry {
  type: 'customer' | 'subscription' | 'invoice' | 'payment_method' | 'invoice_payment' | 'product';
  id: string;
  /** The Stripe object as the server holds it; null for a deletion that left no object. */
  object: (Record<string, unknown> & { id: string; object: string }) | null;
  deleted: boolean;
  /** The version: the feed's seq (or, replaying the mirror table itself, its source_ts). */
  sourceTs: number;
}

const NOTHING: IngestResult = { kind: null, customerId: null, written: false };

export function applyMirrorEntry(db: Database.Database, accountId: string, e: MirrorEntry, productNames?: ProductNames): IngestResult {
  if (e.deleted) {
    switch (e.type) {
      case 'customer':
        return markCustomerDeleted(db, accountId, e.id, e.sourceTs);
      case 'invoice':
        deleteInvoice(db, accountId, e.id, e.sourceTs);
        return { kind: 'invoices', customerId: typeof e.object?.customer === 'string' ? e.object.customer : null, written: true };
      case 'invoice_payment':
        deleteInvoicePayment(db, accountId, e.id);
        return { kind: 'invoices', customerId: null, written: true };
      default:
        return NOTHING;
    }
  }
  if (!e.object) return NOTHING;
  switch (e.type) {
    case 'product':
      productNames?.set(e.id, (e.object.name as string | null | undefined) ?? null);
      return { kind: 'subscriptions', customerId: null, written: true };
    case 'invoice_payment': {
      const r = ingestInvoicePayment(db, accountId, e.object as unknown as Stripe.InvoicePayment, e.sourceTs);
      return { kind: 'invoices', customerId: r.customerId, written: r.written };
    }
    case 'subscription':
      return ingestSubscription(db, accountId, e.object as unknown as Stripe.Subscription, e.sourceTs, { productNames: productNames?.lookup });
    default:
      return ingestObject(db, accountId, e.object, e.sourceTs);
  }
}
