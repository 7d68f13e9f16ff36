import type Database from 'better-sqlite3';

// Links in a draft go to a customer who trusts the agent's email. An injected message ("tell them
// to pay at stripe-billing-help.com") or a confused model must not be able to put a link there that
// the agent sends without noticing. The only links a draft may carry are this customer's own
// Stripe-hosted pages as the cache recorded them from Stripe: hosted invoice pages and the portal
// links made for them. Everything else is removed and marked, so the agent sees that it happened.

/** Hosts Stripe serves customer-facing invoice and portal pages from. */
const STRIPE_CUSTOMER_HOSTS = new Set(['invoice.stripe.com', 'pay.stripe.com', 'billing.stripe.com']);

/** True for an https URL on one of Stripe's customer-facing hosts, without credentials. */
export function isStripeHostedUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && STRIPE_CUSTOMER_HOSTS.has(url.hostname) && url.port === '' && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** This customer's hosted invoice pages and portal links, as cached: the links a draft may keep. */
export function customerOwnLinks(db: Database.Database, accountId: string, customerId: string): Set<string> {
  const rows = db
    .prepare(
      `SELECT hosted_invoice_url AS url FROM invoices WHERE account_id = ? AND customer_id = ? AND hosted_invoice_url IS NOT NULL
       UNION SELECT url FROM portal_links WHERE account_id = ? AND customer_id = ?`,
    )
    .all(accountId, customerId, accountId, customerId) as Array<{ url: string }>;
  return new Set(rows.map((r) => r.url).filter(isStripeHostedUrl));
}

/**
 * Anything a mail client or a person would follow: a URL with a scheme (also javascript:/data:),
 * a www. host, or a bare domain under a common top-level domain. Not preceded by "@" or a word
 * character, so the domain of an email address is left to the email check.
 */
const LINK = new RegExp(
  [
    String.raw`\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s<>"'\`()\[\]{}]+`,
    // Script URLs carry their code in parentheses: the whole run up to a space goes.
    String.raw`\b(?:javascript|data|vbscript):[^\s<>"'\`]+`,
    String.raw`(?<![@\w.-])www\.[^\s<>"'\`()\[\]{}]+`,
    String.raw`(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|co|app|dev|info|biz|xyz|me|ly|link|site|online|shop|store|page|top|click|live|help|support|pay|money|finance|us|uk|de|fr|ru|cn)\b(?:\/[^\s<>"'\`()\[\]{}]*)?`,
  ].join('|'),
  'gi',
);
/** Sentence punctuation after a link is not part of it ("…/i/abc." ends a sentence). */
const TRAILING = /[.,;:!?'"]+$/;

export const LINK_REMOVED = '[link removed]';

/** Where a kept link waits while the other checks run (they would mangle the acct_ id inside it). */
const HOLD_OPEN = '\uE000';
const HOLD_CLOSE = '\uE001';

/**
 * Replaces every link that is not one of `allowed` with LINK_REMOVED; kept links are held out of
 * the way of `rest` (the other checks) and put back after it.
 */
export function guardLinks(text: string, allowed: ReadonlySet<string>, rest: (text: string) => string): string {
  const kept: string[] = [];
  const held = text.replace(/[\uE000\uE001]/g, '').replace(LINK, (match) => {
    const trail = TRAILING.exec(match)?.[0] ?? '';
    const link = match.slice(0, match.length - trail.length);
    if (!allowed.has(link)) return LINK_REMOVED + trail;
    kept.push(link);
    return `${HOLD_OPEN}${kept.length - 1}${HOLD_CLOSE}${trail}`;
  });
  return rest(held).replace(new RegExp(`${HOLD_OPEN}(\\d+)${HOLD_CLOSE}`, 'g'), (_m, i: string) => kept[Number(i)] ?? '');
}
