import { Faker, base, en, en_US, en_GB, de, fr, es, it, el, nl, pl, ja, ru, ar, pt_BR, ko, zh_CN, type LocaleDefinition } from '@faker-js/faker';
import { combineSeed, hashLabel } from './rng';
import { LOCALE_PROFILES, type FakerLocaleKey } from './locales';

// Names, streets, cities and companies come from faker's locale data, drawn once per locale into
// pools with a seeded faker; customers then pick from the pools with their own stream. Calling
// faker per customer would be slower and would tie every customer to one global faker sequence.

const DEFINITIONS: Record<FakerLocaleKey, LocaleDefinition> = { en_US, en_GB, de, fr, es, it, el, nl, pl, ja, ru, ar, pt_BR, ko, zh_CN };

export type Sex = 'female' | 'male';

export interface LocalePools {
  givenNames: Record<Sex, string[]>;
  /** Some languages inflect family names by sex (Иванова / Иванов). */
  familyNames: Record<Sex, string[]>;
  cities: string[];
  streets: string[];
  secondary: string[];
  postalCodes: string[];
  states: string[];
  companies: string[];
}

// Sized so that names rarely repeat (160 x 160 combinations per sex and locale) while drawing all
// pools stays around a tenth of a second on first use.
const POOL_SIZE = { names: 160, cities: 40, streets: 100, secondary: 20, postal: 120, states: 30, companies: 60 };

function draw(n: number, f: () => string): string[] {
  const out = new Set<string>();
  // Bounded: small locale lists (states, a few cities) cannot fill the pool with distinct values.
  for (let i = 0; i < n * 3 && out.size < n; i++) out.add(f());
  return [...out];
}

function buildPools(seed: number, key: FakerLocaleKey): LocalePools {
  const faker = new Faker({ locale: [DEFINITIONS[key], en, base] });
  faker.seed(combineSeed(seed, hashLabel(`faker:${key}`)));
  const names = (sex: Sex) => draw(POOL_SIZE.names, () => faker.person.firstName(sex));
  const families = (sex: Sex) => draw(POOL_SIZE.names, () => faker.person.lastName(sex));
  const hasState = LOCALE_PROFILES.find((p) => p.key === key)?.hasState ?? false;
  return {
    givenNames: { female: names('female'), male: names('male') },
    familyNames: { female: families('female'), male: families('male') },
    cities: draw(POOL_SIZE.cities, () => faker.location.city()),
    streets: draw(POOL_SIZE.streets, () => faker.location.streetAddress()),
    secondary: draw(POOL_SIZE.secondary, () => faker.location.secondaryAddress()),
    postalCodes: draw(POOL_SIZE.postal, () => faker.location.zipCode()),
    states: hasState ? draw(POOL_SIZE.states, () => (key === 'en_US' ? faker.location.state({ abbreviated: true }) : faker.location.state())) : [],
    companies: draw(POOL_SIZE.companies, () => faker.company.name()),
  };
}

const cache = new Map<number, Map<FakerLocaleKey, LocalePools>>();

/** Pools for every demo locale under this seed (built once per seed and kept). */
export function namePools(seed: number): ReadonlyMap<FakerLocaleKey, LocalePools> {
  let pools = cache.get(seed);
  if (!pools) {
    pools = new Map(LOCALE_PROFILES.map((p) => [p.key, buildPools(seed, p.key)]));
    // A handful of seeds at most (tests, the app, a bench): keep the cache from growing unbounded.
    if (cache.size >= 8) cache.delete(cache.keys().next().value!);
    cache.set(seed, pools);
  }
  return pools;
}
