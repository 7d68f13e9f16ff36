import type Stripe from 'stripe';
import { Rng } from './rng';
import { COVERAGE_LOCALES, LOCALE_BY_KEY, LOCALE_WEIGHTS, type LocaleProfile } from './locales';
import type { LocalePools, Sex } from './name-pools';
import type { FakerLocaleKey } from './locales';
import { romanize } from './romanize';

// The person behind a demo customer: name in their own script, an e-mail address they would
// plausibly use, phone, address, employer. A person is a pure function of (seed, person index), so
// a second customer account can reuse the person of the one before it (same e-mail, two accounts).

export interface DemoPerson {
  locale: LocaleProfile;
  givenName: string;
  familyName: string;
  /** Display name in the person's script and name order. */
  name: string;
  email: string;
  phone: string | null;
  address: Stripe.Address | null;
  company: string | null;
}

const ORG_SUFFIXES = new Set(['inc', 'llc', 'ltd', 'plc', 'gmbh', 'co', 'kg', 'ag', 'sa', 'sarl', 'spa', 'srl', 'bv', 'nv', 'ab', 'oy', 'group', 'and', 'und', 'et', 'y', 'e', 'sem', 'scs', 'sas', 'eurl', 'sp', 'zoo', 'ltda', 'me', 'ohg', 'ug', 'mbh', 'son', 'sons', 'asociados', 'cia']);

/** A company's web domain from its name, or null when its name has no Latin letters to use. */
function companyDomain(company: string, locale: LocaleProfile): string | null {
  if (locale.romanization === 'pool') return null;
  const words = company
    .split(/[\s,&\-/]+/)
    .map((w) => romanize(w, locale.romanization === 'pool' ? 'latin' : locale.romanization))
    .filter((w) => w.length > 1 && !ORG_SUFFIXES.has(w));
  if (words.length === 0) return null;
  return `${words.slice(0, 2).join('-')}.${locale.companyTld}`;
}

function emailHandle(rng: Rng, locale: LocaleProfile, given: string, family: string): string {
  if (locale.romanization === 'pool') {
    const pool = locale.handlePool!;
    const a = rng.pick(pool);
    const b = rng.pick(pool);
    switch (rng.int(4)) {
      case 0: return `${b[0]}.${a}`;
      case 1: return `${a}${rng.digits(2)}`;
      case 2: return `${a}.${b[0]}${rng.digits(1)}`;
      default: return `${a}_${rng.digits(4)}`;
    }
  }
  const g = romanize(given, locale.romanization) || 'info';
  const f = romanize(family, locale.romanization) || 'mail';
  switch (rng.int(8)) {
    case 0: return `${g}.${f}`;
    case 1: return `${g}${f}`;
    case 2: return `${g[0]}${f}`;
    case 3: return `${g}_${f}`;
    case 4: return `${g}${rng.digits(2)}`;
    case 5: return `${f}.${g}`;
    case 6: return `${g[0]}.${f}`;
    default: return `${g}.${f}${rng.digits(2)}`;
  }
}

function phoneNumber(rng: Rng, locale: LocaleProfile): string {
  let national: string;
  if (locale.phonePrefix === '+1') {
    // North American numbers: area code and exchange never start with 0 or 1.
    national = `${rng.range(2, 9)}${rng.digits(2)}${rng.range(2, 9)}${rng.digits(6)}`;
  } else {
    national = `${rng.range(1, 9)}${rng.digits(locale.phoneDigits - 1)}`;
  }
  if (rng.chance(0.7)) return `${locale.phonePrefix}${national}`;
  // People also type numbers with spaces: "+1 308 465 9623", "+49 838 8139 8487".
  const head = national.slice(0, -4).match(/.{1,3}/g)!;
  if (head.length > 1 && head[head.length - 1].length < 2) head[head.length - 2] += head.pop();
  return `${locale.phonePrefix} ${[...head, national.slice(-4)].join(' ')}`;
}

function address(rng: Rng, locale: LocaleProfile, pools: LocalePools): Stripe.Address | null {
  if (!locale.addresses || !rng.chance(0.72)) return null;
  return {
    city: rng.pick(pools.cities),
    country: locale.country,
    line1: rng.pick(pools.streets),
    line2: rng.chance(0.15) ? rng.pick(pools.secondary) : null,
    postal_code: rng.pick(pools.postalCodes),
    state: locale.hasState && pools.states.length ? rng.pick(pools.states) : null,
  };
}

export function localeForPerson(rng: Rng, personIndex: number): LocaleProfile {
  if (personIndex < COVERAGE_LOCALES.length) return LOCALE_BY_KEY.get(COVERAGE_LOCALES[personIndex])!;
  return LOCALE_WEIGHTS.pick(rng);
}

export function personFor(seed: number, personIndex: number, pools: ReadonlyMap<FakerLocaleKey, LocalePools>): DemoPerson {
  const rng = Rng.stream(seed, 'person', personIndex);
  const locale = localeForPerson(rng, personIndex);
  const p = pools.get(locale.key)!;
  const sex: Sex = rng.chance(0.5) ? 'female' : 'male';
  const givenName = rng.pick(p.givenNames[sex]);
  const familyName = rng.pick(p.familyNames[sex]);
  const name = locale.familyNameFirst ? `${familyName} ${givenName}` : `${givenName} ${familyName}`;
  const company = rng.chance(0.45) ? rng.pick(p.companies) : null;
  const domain = company ? companyDomain(company, locale) : null;
  const handle = emailHandle(rng, locale, givenName, familyName);
  const email = domain && rng.chance(0.6) ? `${handle}@${domain}` : `${handle}@${rng.pick(locale.emailProviders)}`;
  return {
    locale,
    givenName,
    familyName,
    name,
    email,
    phone: rng.chance(0.74) ? phoneNumber(rng, locale) : null,
    address: address(rng, locale, p),
    company,
  };
}
