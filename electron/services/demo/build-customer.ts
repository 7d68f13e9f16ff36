import type Stripe from 'stripe';
import type { DemoPerson } from './people';
import type { Rng } from './rng';

// The Customer object, listed as the sync lists it: `expand: ['data.invoice_settings.default_payment_method']`.

const DESCRIPTIONS = ['Migrated from legacy billing (2024)', 'Reseller account', 'Annual contract: invoice by e-mail', 'Nonprofit discount approved', 'Key account: escalate billing issues to finance', 'Signed up at a conference', 'Former trial user, converted by sales'];
const SIGNUP_SOURCES = ['web', 'sales', 'partner', 'mobile_app'];

export interface CustomerFacts {
  id: string;
  person: DemoPerson;
  /** A second account of the same person: same name and e-mail (typed differently). */
  secondAccount: boolean;
  created: number;
  currency: string | null;
  delinquent: boolean;
  invoicePrefix: string;
  nextInvoiceSequence: number;
  planTier: string | null;
  defaultPaymentMethod: Stripe.PaymentMethod | null;
}

/** The same address typed differently: search must match e-mail case-insensitively. */
function retypedEmail(email: string, rng: Rng): string {
  if (rng.chance(0.3)) return email.toUpperCase();
  const [local, domain] = email.split('@');
  return `${local[0].toUpperCase()}${local.slice(1)}@${domain[0].toUpperCase()}${domain.slice(1)}`;
}

/** Name and e-mail as shown on the customer (also snapshotted onto its invoices). */
export function customerIdentity(rng: Rng, facts: Pick<CustomerFacts, 'person' | 'secondAccount'>): { name: string | null; email: string; description: string | null; businessName: boolean } {
  const { person } = facts;
  const businessName = person.company != null && !facts.secondAccount && rng.chance(0.3);
  const name = businessName ? person.company : rng.chance(0.03) ? null : person.name;
  const email = facts.secondAccount ? retypedEmail(person.email, rng) : person.email;
  const description = businessName ? `Billing contact: ${person.name}` : rng.chance(0.06) ? rng.pick(DESCRIPTIONS) : null;
  return { name, email, description, businessName };
}

export function buildCustomer(rng: Rng, facts: CustomerFacts, identity: { name: string | null; email: string; description: string | null }): Stripe.Customer {
  const { person } = facts;
  const metadata: Record<string, string> = {};
  if (rng.chance(0.8)) metadata.external_id = `CRM-${rng.digits(6)}`;
  if (person.company && rng.chance(0.9)) metadata.company = person.company;
  if (facts.planTier && rng.chance(0.75)) metadata.plan_tier = facts.planTier;
  if (rng.chance(0.35)) metadata.signup_source = rng.pick(SIGNUP_SOURCES);
  return {
    id: facts.id,
    object: 'customer',
    address: person.address,
    balance: 0,
    created: facts.created,
    currency: facts.currency,
    customer_account: null,
    default_source: null,
    delinquent: facts.delinquent,
    description: identity.description,
    discount: null,
    email: identity.email,
    invoice_prefix: facts.invoicePrefix,
    invoice_settings: { custom_fields: null, default_payment_method: facts.defaultPaymentMethod, footer: null, rendering_options: null },
    livemode: false,
    metadata,
    name: identity.name,
    next_invoice_sequence: facts.nextInvoiceSequence,
    phone: person.phone,
    preferred_locales: [person.locale.preferredLocale],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}
