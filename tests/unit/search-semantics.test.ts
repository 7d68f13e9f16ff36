import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { migrate } from '../../electron/services/db/migrate';
import { searchCustomers } from '../../electron/services/search/search-customers';
import { customer, deleteCustomer, invoice, paymentMethod, seed, subscription, T0 } from '../helpers/customer-fixtures';

const A = 'acct_A';
let db: Database.Database;

const ids = (q: string, limit?: number) => searchCustomers(db, A, q, { limit }).map((h) => h.id);
const first = (q: string) => searchCustomers(db, A, q)[0];

beforeAll(() => {
  db = new Database(':memory:');
  migrate(db);
  seed(db, A, [
    customer({ id: 'cus_alice', name: 'Alice Johnson', email: 'ALICE@Example.com', phone: '+1 (415) 555-0101', metadata: { plan_code: 'GOLD-7' }, defaultPaymentMethod: 'pm_alice' }),
    paymentMethod({ id: 'pm_alice', customer: 'cus_alice', last4: '4242', expMonth: 4, expYear: 2031 }),
    subscription({ id: 'sub_alice', customer: 'cus_alice', items: [{ id: 'si_alice', unitAmount: 1000, interval: 'month' }] }),
    invoice({ id: 'in_alice', customer: 'cus_alice', number: 'ABCD1234-0001', amountDue: 1000, subscription: 'sub_alice', attempts: [{ id: 'inpay_alice', paymentIntent: 'pi_alice', charge: 'ch_alice', status: 'paid', amount: 1000 }] }),
    customer({ id: 'cus_smith', name: 'John Smith', email: 'john.smith@gmail.com', created: T0 - 10 }),
    customer({ id: 'cus_johnny', name: 'Johnny Appleseed', email: 'ja@orchard.org', created: T0 - 20 }),
    customer({ id: 'cus_shared_eu', name: 'Shared Co (EU)', email: 'billing@shared.io', created: T0 - 300 }),
    customer({ id: 'cus_shared_us', name: 'Shared Co (US)', email: 'Billing@Shared.io', created: T0 - 200 }),
    customer({ id: 'cus_shared_old', name: 'Shared Legacy', email: 'BILLING@SHARED.IO', created: T0 - 100 }),
    subscription({ id: 'sub_eu', customer: 'cus_shared_eu', status: 'past_due', items: [{ id: 'si_eu', unitAmount: 5000, interval: 'month' }] }),
    subscription({ id: 'sub_us', customer: 'cus_shared_us', status: 'active', items: [{ id: 'si_us', unitAmount: 5000, interval: 'year' }] }),
    customer({ id: 'cus_jose', name: 'José Müller', email: 'jose@muller.de' }),
    customer({ id: 'cus_yamada', name: '山田太郎', email: 'taro@example.jp' }),
    customer({ id: 'cus_ivanov', name: 'Пётр Иванов', email: 'petr@example.ru' }),
    customer({ id: 'cus_greek', name: 'Σωκράτης Παπαδόπουλος', email: 'sokratis@example.gr' }),
    customer({ id: 'cus_dan', name: 'Deleted Dan', email: 'dan@gone.com' }),
    customer({ id: 'cus_aero', name: 'Ærøskøbing Færge', email: 'info@faerge.dk' }),
  ]);
  seed(db, 'acct_B', [customer({ id: 'cus_other', name: 'Alice Johnson', email: 'alice@example.com' })]);
  deleteCustomer(db, A, 'cus_dan');
});

describe('search: case and prefix', () => {
  it('finds an email whatever its case, and ranks the exact email first', () => {
    for (const q of ['alice@example.com', 'ALICE@EXAMPLE.COM', 'Alice@Example.Com']) {
      const hit = first(q)!;
      expect(hit.id).toBe('cus_alice');
      expect(hit.matchKind).toBe('email');
    }
  });

  it('matches names in any case and by the start of each word', () => {
    expect(ids('ALICE')).toEqual(['cus_alice']);
    expect(ids('aLiCe JoHn')).toEqual(['cus_alice']);
    expect(ids('al jo')).toContain('cus_alice');
    expect(ids('joh')).toEqual(expect.arrayContaining(['cus_alice', 'cus_smith', 'cus_johnny']));
  });

  it('ranks a whole-word first-name match above longer words that merely start with it', () => {
    expect(ids('john').slice(0, 3)).toEqual(['cus_smith', 'cus_johnny', 'cus_alice']);
    expect(first('john smith')!.id).toBe('cus_smith');
  });

  it('finds customers by email domain and by part of the address', () => {
    expect(ids('@example.com')).toEqual(['cus_alice']);
    expect(ids('orchard.org')).toEqual(['cus_johnny']);
    const hit = first('john.smith')!;
    expect(hit.id).toBe('cus_smith');
  });

  it('respects the limit and returns nothing for an empty query', () => {
    expect(ids('shared', 2)).toHaveLength(2);
    expect(ids('')).toEqual([]);
    expect(ids('   ')).toEqual([]);
  });
});

describe('search: typos', () => {
  it.each([
    ['jonhson', 'cus_alice'], // transposition
    ['johnsn', 'cus_alice'], // deletion
    ['johnsson', 'cus_alice'], // insertion
    ['jahnson', 'cus_alice'], // substitution
    ['alcie', 'cus_alice'],
    ['smiht', 'cus_smith'],
    ['appelseed', 'cus_johnny'],
    ['alice@exmaple.com', 'cus_alice'], // a mistyped address still finds its owner
  ])('"%s" finds %s', (q, id) => {
    const hits = searchCustomers(db, A, q);
    expect(hits.map((h) => h.id)).toContain(id);
    expect(hits.find((h) => h.id === id)!.matchKind).toBe('similar');
  });

  it('keeps exact matches above typo matches', () => {
    seed(db, A, [customer({ id: 'cus_jonson', name: 'Maria Jonson', email: 'maria@jonson.se' })]);
    const hits = ids('jonson');
    expect(hits[0]).toBe('cus_jonson');
    expect(hits).toContain('cus_alice');
  });

  it('corrects a customer written a moment ago (the spelling queue drains on demand)', () => {
    seed(db, A, [customer({ id: 'cus_fresh', name: 'Bartholomew Quince', email: 'bq@fresh.io' })]);
    expect(ids('bartholomwe')).toEqual(['cus_fresh']);
  });
});

describe('search: every id kind resolves to its customer, first', () => {
  it.each([
    ['cus_alice', 'customer id'],
    ['sub_alice', 'subscription sub_alice'],
    ['si_alice', 'subscription item si_alice'],
    ['in_alice', 'invoice in_alice'],
    ['pi_alice', 'payment intent pi_alice'],
    ['ch_alice', 'charge ch_alice'],
    ['pm_alice', 'payment method pm_alice'],
    ['inpay_alice', 'invoice payment inpay_alice'],
  ])('%s', (q, matched) => {
    const hits = searchCustomers(db, A, q);
    expect(hits[0]).toMatchObject({ id: 'cus_alice', matchKind: 'id', matched });
  });

  it('finds an object from the start of its id, below exact ids', () => {
    expect(first('in_ali')).toMatchObject({ id: 'cus_alice', matchKind: 'id_prefix' });
  });

  it('treats an unknown id as no result, not an error', () => {
    expect(ids('in_doesnotexist')).toEqual([]);
    expect(ids('cus_')).toEqual([]);
  });
});

describe('search: invoice number, card, phone, metadata', () => {
  it('finds an invoice number in any case, and by its start', () => {
    expect(first('ABCD1234-0001')).toMatchObject({ id: 'cus_alice', matchKind: 'invoice_number', matched: 'invoice ABCD1234-0001' });
    expect(first('abcd1234-0001')).toMatchObject({ id: 'cus_alice', matchKind: 'invoice_number' });
    expect(first('ABCD1234')).toMatchObject({ id: 'cus_alice', matchKind: 'id_prefix' });
  });

  it('finds a card by its last four digits', () => {
    expect(first('4242')).toMatchObject({ id: 'cus_alice', matchKind: 'card', matched: 'Visa •••• 4242, exp 04/31' });
  });

  it.each(['415-555-0101', '(415) 555 0101', '+14155550101', '4155550101', '555-0101'])('finds a phone number typed as %s', (q) => {
    expect(first(q)).toMatchObject({ id: 'cus_alice', matchKind: 'phone' });
  });

  it('finds a metadata value and says which key matched', () => {
    expect(first('gold-7')).toMatchObject({ id: 'cus_alice', matchKind: 'metadata', matched: 'metadata plan_code: GOLD-7' });
  });
});

describe('search: one email, several customers', () => {
  it('returns every customer with the email, together, each told apart', () => {
    const hits = searchCustomers(db, A, 'billing@SHARED.io');
    expect(hits.map((h) => h.id)).toEqual(['cus_shared_old', 'cus_shared_us', 'cus_shared_eu']);
    for (const h of hits) expect(h).toMatchObject({ matchKind: 'email', sameEmailCount: 3 });
    const eu = hits.find((h) => h.id === 'cus_shared_eu')!;
    const us = hits.find((h) => h.id === 'cus_shared_us')!;
    expect(eu.subscriptionSummary).toBe('past_due');
    expect(us.subscriptionSummary).toBe('active');
    expect(new Set(hits.map((h) => h.created)).size).toBe(3);
  });

  it('keeps them adjacent when they come from a text search', () => {
    seed(db, A, [customer({ id: 'cus_shareholder', name: 'Sharecropper Inc', email: 'x@crop.io', created: T0 + 50 })]);
    const hits = searchCustomers(db, A, 'share');
    const positions = hits.map((h, i) => (h.email?.toLowerCase() === 'billing@shared.io' ? i : -1)).filter((i) => i >= 0);
    expect(positions).toHaveLength(3);
    expect(positions[2]! - positions[0]!).toBe(2);
  });
});

describe('search: names in other scripts and with accents', () => {
  it.each([
    ['jose muller', 'cus_jose'],
    ['José', 'cus_jose'],
    ['MÜLLER', 'cus_jose'],
    ['mueller', 'cus_jose'],
    ['山田', 'cus_yamada'],
    ['太郎', 'cus_yamada'],
    ['山田太郎', 'cus_yamada'],
    ['Иванов', 'cus_ivanov'],
    ['иван', 'cus_ivanov'],
    ['петр', 'cus_ivanov'],
    ['Σωκράτης', 'cus_greek'],
    ['σωκρατης', 'cus_greek'],
    ['Σωκρ', 'cus_greek'],
    ['παπαδοπουλος', 'cus_greek'],
    ['aeroskobing', 'cus_aero'],
    ['ærøskøbing', 'cus_aero'],
  ])('"%s" finds %s', (q, id) => {
    expect(ids(q)).toContain(id);
  });
});

describe('search: what must never appear', () => {
  it('never returns a deleted customer, by any route', () => {
    for (const q of ['Deleted Dan', 'dan@gone.com', 'cus_dan', 'dan', 'delted']) expect(ids(q)).not.toContain('cus_dan');
  });

  it('never returns another account’s customer', () => {
    expect(searchCustomers(db, A, 'alice').every((h) => h.id !== 'cus_other')).toBe(true);
    expect(searchCustomers(db, 'acct_B', 'alice').map((h) => h.id)).toEqual(['cus_other']);
  });
});

describe('search: hostile input', () => {
  const hostile = [
    '"', '""', '"""', '*', '**', 'NEAR(', 'NEAR(a b, 2)', 'OR', 'AND', 'NOT', 'a OR b', '"a" OR "b"', 'name:alice', '{name}:x', '^alice',
    '(', ')', '()', '-', '+', '+alice', "'", "';DROP TABLE customers;--", '%', '_', '\\', '\u0000', '\u202e', '🙂', '🙂🙂🙂 alice',
    'a'.repeat(200), '🙂'.repeat(100), 'in_' + 'x'.repeat(300), '@', '@@', '.', 'cus_*', 'alice*', '"alice', 'alice"', '*alice', 'x:y:z', '\n\t',
  ];
  it.each(hostile)('%j neither throws nor breaks the index', (q) => {
    expect(() => searchCustomers(db, A, q)).not.toThrow();
  });

  it('ignores the invisible characters a copied name, email or id carries (zero-width, bidi marks, BOM)', () => {
    expect(ids('ali\u200Bce john\u200Cson')).toEqual(['cus_alice']);
    expect(first('\uFEFFalice@exam\u200Dple.com\u200E')!.id).toBe('cus_alice');
    expect(first('cus_\u2060alice')!.matchKind).toBe('id');
    expect(first('\u202Bcus_alice\u202C')!.id).toBe('cus_alice');
    expect(ids('Jo\u00ADhn Smith')[0]).toBe('cus_smith');
    // A joiner between letters of a script that uses it is kept (it is part of the text there).
    expect(() => searchCustomers(db, A, 'می\u200Cخواهم')).not.toThrow();
  });

  it('still finds real customers after hostile queries', () => {
    for (const q of hostile) searchCustomers(db, A, q);
    expect(first('alice johnson')!.id).toBe('cus_alice');
  });

  it('never throws for any string (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 250 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom('"', '*', 'NEAR(', 'OR', ':', '^', '(', ')').chain((s) => fc.string().map((t) => s + t))), (q) => {
        const hits = searchCustomers(db, A, q);
        return Array.isArray(hits) && hits.length <= 20;
      }),
      { numRuns: 400 },
    );
  });
});

describe('search: spelling table under a backfill', () => {
  it('leaves a long queue to the background drain, which then makes new customers findable', async () => {
    const { vi } = await import('vitest');
    const { startSearchIndexer } = await import('../../electron/services/search/background-indexer');
    const local = new Database(':memory:');
    migrate(local);
    const many = Array.from({ length: 1200 }, (_, i) => customer({ id: `cus_bulk${i}`, name: `Bulk Person${i}`, email: `b${i}@bulk.io` }));
    seed(local, A, [...many, customer({ id: 'cus_target', name: 'Wilhelmina Quartermaine', email: 'wq@x.io' })]);
    // 1201 queued rows: a search does not drain them inline (that would stall the keystroke).
    expect(searchCustomers(local, A, 'quartermaine').map((h) => h.id)).toEqual([]);
    vi.useFakeTimers({ toFake: ['setInterval', 'setImmediate'] });
    try {
      const stop = startSearchIndexer(local, { warn: () => undefined } as never);
      await vi.advanceTimersByTimeAsync(2000); // first tick: one batch, then the rest after yields
      for (let i = 0; i < 5; i++) await vi.runOnlyPendingTimersAsync();
      stop();
    } finally {
      vi.useRealTimers();
    }
    expect(local.prepare('SELECT COUNT(*) AS n FROM search_queue').get()).toEqual({ n: 0 });
    expect(searchCustomers(local, A, 'quartermaine').map((h) => h.id)).toEqual(['cus_target']);
    expect(searchCustomers(local, A, 'quartermane').map((h) => h.id)).toEqual(['cus_target']);
  });

  it('finds a customer written a moment ago (a short queue is indexed by the search itself)', () => {
    seed(db, A, [customer({ id: 'cus_just_now', name: 'Octavia Brightwater', email: 'ob@now.io' })]);
    expect(ids('brightwater')).toEqual(['cus_just_now']);
    expect(ids('octavia bright')).toEqual(['cus_just_now']);
  });

  it('drops a customer from results as soon as it is deleted or renamed', () => {
    seed(db, A, [customer({ id: 'cus_rename', name: 'Temporary Name', email: 'tmp@rename.io' })]);
    expect(ids('temporary')).toEqual(['cus_rename']);
    seed(db, A, [customer({ id: 'cus_rename', name: 'Permanent Name', email: 'tmp@rename.io' })], T0 + 5);
    expect(ids('temporary')).toEqual([]);
    expect(ids('permanent')).toEqual(['cus_rename']);
    deleteCustomer(db, A, 'cus_rename', T0 + 10);
    expect(ids('permanent')).toEqual([]);
  });
});
