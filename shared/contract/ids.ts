import { z } from 'zod';

// Stripe ids are a prefix, an underscore and up to 255 [A-Za-z0-9] characters (test servers and the
// demo use the same alphabet). Checking the prefix at the boundary turns a pasted wrong id into a
// clear message instead of a "not found" after a round trip.
const idPattern = (prefix: string) => new RegExp(`^${prefix}_[A-Za-z0-9]{1,255}$`);

export const customerId = z.string().regex(idPattern('cus'), 'A customer id looks like cus_…');
export const subscriptionId = z.string().regex(idPattern('sub'), 'A subscription id looks like sub_…');
export const invoiceId = z.string().regex(idPattern('in'), 'An invoice id looks like in_…');
/** A workspace id (shared/domain/workspace-id.ts): acct_… for test mode, acct_…:live for live mode, or demo. */
export const accountId = z.string().regex(/^(acct_[A-Za-z0-9]{1,255}(:live)?|demo)$/, 'An account id looks like acct_… (test mode), acct_…:live (live mode) or demo');
export const portalConfigurationId = z.string().regex(idPattern('bpc'), 'A portal configuration id looks like bpc_…');
/** Free text typed by a person: bounded so a pasted novel cannot stall a query. */
export const shortText = (max = 200) => z.string().max(max);
/** Longest note (on a customer or a dunning case), in characters; the editors count against it too. */
export const NOTE_MAX_LENGTH = 10_000;
export const noteBody = z.string().trim().min(1).max(NOTE_MAX_LENGTH);
