// One-line product mutations the test suite must catch (`npm run mutation`). Each names the file,
// the exact text to find (it must occur exactly once: if the code moved, the check says so instead
// of silently testing nothing), its replacement, and the test files that should fail - only those
// run, so the whole check takes minutes. The first four are the ones issue 15 was filed over.

export const MUTATIONS = [
  {
    what: "copilot facts: another customer's failed attempts in this customer's facts (WHERE widened)",
    file: 'electron/services/copilot/context/customer-facts.ts',
    search: 'WHERE i.account_id = ? AND i.customer_id = ? ORDER BY pa.created DESC LIMIT ?',
    replace: "WHERE i.account_id = ? AND (i.customer_id = ? OR pa.status = 'failed') ORDER BY pa.created DESC LIMIT ?",
    tests: ['tests/integration/copilot-leaks.test.ts', 'tests/integration/copilot-injection.test.ts'],
  },
  {
    what: 'mapper: amount remaining (the dunning amount at risk) taken from amount due',
    file: 'electron/services/stripe/mappers.ts',
    search: '      amount_remaining: inv.amount_remaining,',
    replace: '      amount_remaining: inv.amount_due,',
    tests: ['tests/unit/mappers-money-state.test.ts', 'tests/integration/sync-mirror.test.ts'],
  },
  {
    what: 'events sync: cursor saved with the payloads, before the batch\'s re-fetches are applied',
    file: 'electron/services/sync/sqlite-sink.ts',
    search: '    const outcome = this.db.transaction(() => applyEventPayloads(this.db, this.accountId, events, { apiVersion, productNames }))();',
    replace: '    const outcome = this.db.transaction(() => { const o = applyEventPayloads(this.db, this.accountId, events, { apiVersion, productNames }); writeEventsCursor(this.db, this.accountId, events[events.length - 1].id, events[events.length - 1].created); return o; })();',
    tests: ['tests/integration/sync-kill-events.test.ts'],
  },
  {
    what: "handler table: a whole domain's registration commented out (portal)",
    file: 'electron/services/register.ts',
    search: '  registerPortalHandlers(table, ctx);',
    replace: '  // registerPortalHandlers(table, ctx);',
    tests: ['tests/integration/fuzz-contract.test.ts'],
  },
  // Money
  {
    what: 'money: zero-decimal currencies (JPY) treated as two-decimal',
    file: 'shared/domain/money.ts',
    search: '  if (ZERO_DECIMAL.has(c)) return 0;',
    replace: '  if (ZERO_DECIMAL.has(c)) return 2;',
    tests: ['tests/unit/money.test.ts'],
  },
  {
    what: 'money: formatting divides by 100 whatever the currency',
    file: 'shared/domain/money.ts',
    search: '    }).format(amountMinor / 10 ** exp);',
    replace: '    }).format(amountMinor / 100);',
    tests: ['tests/unit/money.test.ts'],
  },
  {
    what: 'money: a per-currency total keeps only the last amount',
    file: 'shared/domain/money.ts',
    search: '    totals[c] = (totals[c] ?? 0) + r.amount;',
    replace: '    totals[c] = r.amount;',
    tests: ['tests/unit/money.test.ts'],
  },
  {
    what: 'mapper: an invoice shows its amount due as paid',
    file: 'electron/services/stripe/mappers.ts',
    search: '      amount_paid: inv.amount_paid,',
    replace: '      amount_paid: inv.amount_due,',
    tests: ['tests/unit/mappers-money-state.test.ts', 'tests/integration/sync-mirror.test.ts'],
  },
  // Decline classification
  {
    what: 'declines: expired_card classified as a soft decline',
    file: 'shared/domain/decline-codes.ts',
    search: "  if (code === 'expired_card') return 'expired_card';",
    replace: "  if (code === 'expired_card') return 'soft';",
    tests: ['tests/unit/decline-classification.test.ts'],
  },
  {
    what: "declines: stolen_card dropped from Stripe's non-retryable codes",
    file: 'shared/domain/decline-codes.ts',
    search: "  'stolen_card',",
    replace: '',
    tests: ['tests/unit/decline-classification.test.ts'],
  },
  {
    what: "mapper: the decline code read from the charge's failure code only (not last_payment_error)",
    file: 'electron/services/stripe/mappers.ts',
    search: '    decline_code: err?.decline_code ?? charge?.outcome?.reason ?? charge?.failure_code ?? null,',
    replace: '    decline_code: charge?.failure_code ?? null,',
    tests: ['tests/unit/mappers-money-state.test.ts', 'tests/integration/sync-mirror.test.ts'],
  },
  {
    what: "copilot facts: the generic failure code (card_declined) used instead of the decline code",
    file: 'electron/services/copilot/context/customer-facts.ts',
    search: "    const code = a.decline_code ?? (a.failure_code && a.failure_code !== 'card_declined' ? a.failure_code : null);",
    replace: '    const code = a.failure_code;',
    tests: ['tests/unit/copilot-rules.test.ts'],
  },
  {
    what: 'retry policy: a hard decline retried on the same card (the check inverted)',
    file: 'electron/services/dunning/retry-policy.ts',
    search: "  if (f.category === 'hard' && !changed) {",
    replace: "  if (f.category === 'hard' && changed) {",
    tests: ['tests/integration/dunning-retry.test.ts'],
  },
  // Pacing
  {
    what: "rate limiter: a 100 ms window instead of one second (10x Stripe's rate)",
    file: 'electron/services/stripe/rate-limiter.ts',
    search: '    this.windowMs = 1000 + (opts.guardMs ?? 20);',
    replace: '    this.windowMs = 100 + (opts.guardMs ?? 20);',
    tests: ['tests/unit/rate-limiter.test.ts'],
  },
  {
    what: 'rate limiter: the concurrency cap ignored',
    file: 'electron/services/stripe/rate-limiter.ts',
    search: '    while (this.queue.length && this.inFlight < this.maxConcurrent) {',
    replace: '    while (this.queue.length) {',
    tests: ['tests/unit/rate-limiter.test.ts'],
  },
  {
    what: 'paced client: a 429 is not retried (stripe-node does not retry it either)',
    file: 'electron/services/stripe/paced-http-client.ts',
    search: "      const retryable = shouldRetryHeader === 'true' || (shouldRetryHeader !== 'false' && (status === 429 || status === 409 || status >= 500));",
    replace: "      const retryable = shouldRetryHeader === 'true' || (shouldRetryHeader !== 'false' && (status === 409 || status >= 500));",
    tests: ['tests/integration/sync-faults.test.ts'],
  },
  // Idempotency
  {
    what: 'retry key: a retry after a definitive decline reuses the old key (Stripe replays the decline)',
    file: 'electron/services/dunning/retry-policy.ts',
    search: '`a${f.attemptCount}`, `r${f.settledRetries}`, ',
    replace: '`a${f.attemptCount}`, ',
    tests: ['tests/integration/dunning-retry.test.ts'],
  },
  {
    what: 'invoices.pay sent without its idempotency key',
    file: 'electron/services/dunning/retry-payment.ts',
    search: '      const paid = await stripe.invoices.pay(invoiceId, {}, { idempotencyKey });',
    replace: '      const paid = await stripe.invoices.pay(invoiceId, {});',
    tests: ['tests/integration/dunning-retry.test.ts'],
  },
  {
    what: 'portal link: a repeated click (same idempotency key) goes to Stripe again instead of returning the link made',
    file: 'electron/services/portal/create-link.ts',
    search: '  if (repeated) return repeated;',
    replace: '  if (repeated && Date.now() < 0) return repeated;',
    tests: ['tests/integration/portal.test.ts'],
  },
  {
    what: "portal link: the session is created without the click's idempotency key",
    file: 'electron/services/portal/create-link.ts',
    search: '      const session = await ctx.workspace.stripe(account.id).billingPortal.sessions.create(params, { idempotencyKey });',
    replace: '      const session = await ctx.workspace.stripe(account.id).billingPortal.sessions.create(params);',
    tests: ['tests/integration/portal.test.ts'],
  },
  // Redaction
  {
    what: 'redaction: OpenAI-shaped keys (sk-proj-...) no longer masked',
    file: 'electron/services/core/redact.ts',
    search: '  /\\bsk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g,',
    replace: '',
    tests: ['tests/unit/redact.test.ts'],
  },
  {
    what: 'redaction: remembered secrets shorter than 80 characters not masked',
    file: 'electron/services/core/redact.ts',
    search: '    if (secret && secret.length >= 8) this.secrets.add(secret);',
    replace: '    if (secret && secret.length >= 80) this.secrets.add(secret);',
    tests: ['tests/unit/redact.test.ts'],
  },
  {
    what: 'redaction: structured payloads copied without redacting their strings',
    file: 'electron/services/core/redact.ts',
    search: "(_k, v) => (typeof v === 'string' ? this.text(v) : v)",
    replace: '(_k, v) => v',
    tests: ['tests/unit/redact.test.ts'],
  },
];
