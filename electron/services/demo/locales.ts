import { Weighted } from './rng';

// Where demo customers come from: the faker locale their names are drawn from, the currency they
// are billed in, and local details (phone prefix, e-mail providers, card brands). The mix gives
// the search non-Latin and accented names, and the money code every exponent (JPY 0, KWD 3).

export type DemoCurrency = 'usd' | 'eur' | 'gbp' | 'jpy' | 'kwd';

export const DEMO_CURRENCIES: readonly DemoCurrency[] = ['usd', 'eur', 'gbp', 'jpy', 'kwd'];

export type FakerLocaleKey = 'en_US' | 'en_GB' | 'de' | 'fr' | 'es' | 'it' | 'el' | 'nl' | 'pl' | 'ja' | 'ru' | 'ar' | 'pt_BR' | 'ko' | 'zh_CN';

/** How a name is turned into ASCII for an e-mail address. */
export type Romanization = 'latin' | 'cyrillic' | 'greek' | 'pool';

export interface LocaleProfile {
  key: FakerLocaleKey;
  /** Share of demo customers (relative weight). */
  weight: number;
  currency: DemoCurrency;
  country: string;
  /** Stripe `preferred_locales` entry. */
  preferredLocale: string;
  phonePrefix: string;
  /** National significant digits after the prefix. */
  phoneDigits: number;
  familyNameFirst: boolean;
  romanization: Romanization;
  /** ASCII handles for names that cannot be transliterated simply (kanji, hangul, Arabic). */
  handlePool?: readonly string[];
  emailProviders: readonly string[];
  /** Top-level domain for company e-mail domains. */
  companyTld: string;
  cardBrands: Weighted<string>;
  /** Whether the address has a state/prefecture line. */
  hasState: boolean;
  /** False where faker's locale data would not match the billing country (Russian names billed from Cyprus). */
  addresses: boolean;
}

const WESTERN_BRANDS = new Weighted<string>([['visa', 52], ['mastercard', 33], ['amex', 11], ['discover', 2], ['diners', 1], ['jcb', 1]]);
const US_BRANDS = new Weighted<string>([['visa', 50], ['mastercard', 28], ['amex', 15], ['discover', 6], ['diners', 1]]);
const EU_BRANDS = new Weighted<string>([['visa', 55], ['mastercard', 38], ['amex', 6], ['jcb', 1]]);
const JP_BRANDS = new Weighted<string>([['visa', 40], ['jcb', 28], ['mastercard', 24], ['amex', 6], ['diners', 2]]);
const CN_BRANDS = new Weighted<string>([['unionpay', 40], ['visa', 35], ['mastercard', 25]]);

const JA_HANDLES = ['sato', 'suzuki', 'takahashi', 'tanaka', 'watanabe', 'ito', 'yamamoto', 'nakamura', 'kobayashi', 'kato', 'yoshida', 'yamada', 'sasaki', 'yamaguchi', 'matsumoto', 'inoue', 'kimura', 'hayashi', 'shimizu', 'mori', 'abe', 'ikeda', 'hashimoto', 'ishikawa', 'ogawa', 'fujita', 'okada', 'goto', 'hasegawa', 'murakami', 'kondo', 'sakamoto', 'endo', 'aoki', 'fujii', 'nishimura'];
const AR_HANDLES = ['alsabah', 'alenezi', 'alajmi', 'almutairi', 'alrashidi', 'alshammari', 'alkandari', 'alhajri', 'aldosari', 'alazmi', 'ahmad', 'mohammed', 'fatima', 'abdullah', 'khaled', 'noura', 'yousef', 'mariam', 'hamad', 'sara', 'omar', 'dana', 'bader', 'hessa'];
const KO_HANDLES = ['kim', 'lee', 'park', 'choi', 'jung', 'kang', 'cho', 'yoon', 'jang', 'lim', 'han', 'oh', 'seo', 'shin', 'kwon', 'hwang', 'ahn', 'song', 'yoo', 'hong'];
const ZH_HANDLES = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'gao', 'luo'];

export const LOCALE_PROFILES: readonly LocaleProfile[] = [
  { key: 'en_US', weight: 36, currency: 'usd', country: 'US', preferredLocale: 'en-US', phonePrefix: '+1', phoneDigits: 10, familyNameFirst: false, romanization: 'latin', emailProviders: ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'hotmail.com'], companyTld: 'com', cardBrands: US_BRANDS, hasState: true, addresses: true },
  { key: 'en_GB', weight: 10, currency: 'gbp', country: 'GB', preferredLocale: 'en-GB', phonePrefix: '+44', phoneDigits: 10, familyNameFirst: false, romanization: 'latin', emailProviders: ['gmail.com', 'outlook.com', 'btinternet.com', 'yahoo.co.uk', 'icloud.com'], companyTld: 'co.uk', cardBrands: WESTERN_BRANDS, hasState: false, addresses: true },
  { key: 'de', weight: 8, currency: 'eur', country: 'DE', preferredLocale: 'de', phonePrefix: '+49', phoneDigits: 11, familyNameFirst: false, romanization: 'latin', emailProviders: ['gmx.de', 'web.de', 't-online.de', 'gmail.com', 'posteo.de'], companyTld: 'de', cardBrands: EU_BRANDS, hasState: false, addresses: true },
  { key: 'fr', weight: 6, currency: 'eur', country: 'FR', preferredLocale: 'fr', phonePrefix: '+33', phoneDigits: 9, familyNameFirst: false, romanization: 'latin', emailProviders: ['orange.fr', 'free.fr', 'gmail.com', 'laposte.net', 'sfr.fr'], companyTld: 'fr', cardBrands: EU_BRANDS, hasState: false, addresses: true },
  { key: 'es', weight: 4, currency: 'eur', country: 'ES', preferredLocale: 'es', phonePrefix: '+34', phoneDigits: 9, familyNameFirst: false, romanization: 'latin', emailProviders: ['gmail.com', 'hotmail.es', 'yahoo.es', 'outlook.es'], companyTld: 'es', cardBrands: EU_BRANDS, hasState: false, addresses: true },
  { key: 'it', weight: 3, currency: 'eur', country: 'IT', preferredLocale: 'it', phonePrefix: '+39', phoneDigits: 10, familyNameFirst: false, romanization: 'latin', emailProviders: ['libero.it', 'gmail.com', 'virgilio.it', 'alice.it'], companyTld: 'it', cardBrands: EU_BRANDS, hasState: false, addresses: true },
  { key: 'el', weight: 3, currency: 'eur', country: 'GR', preferredLocale: 'el', phonePrefix: '+30', phoneDigits: 10, familyNameFirst: false, romanization: 'greek', emailProviders: ['gmail.com', 'yahoo.gr', 'otenet.gr', 'hotmail.com'], companyTld: 'gr', cardBrands: EU_BRANDS, hasState: false, addresses: true },
  { key: 'nl', weight: 2, currency: 'eur', country: 'NL', preferredLocale: 'nl', phonePrefix: '+31', phoneDigits: 9, familyNameFirst: false, romanization: 'latin', emailProviders: ['gmail.com', 'ziggo.nl', 'kpnmail.nl', 'outlook.com'], companyTld: 'nl', cardBrands: EU_BRANDS, hasState: false, addresses: true },
  { key: 'pl', weight: 2, currency: 'eur', country: 'PL', preferredLocale: 'pl', phonePrefix: '+48', phoneDigits: 9, familyNameFirst: false, romanization: 'latin', emailProviders: ['wp.pl', 'onet.pl', 'gmail.com', 'interia.pl'], companyTld: 'pl', cardBrands: EU_BRANDS, hasState: false, addresses: true },
  { key: 'ja', weight: 9, currency: 'jpy', country: 'JP', preferredLocale: 'ja', phonePrefix: '+81', phoneDigits: 10, familyNameFirst: true, romanization: 'pool', handlePool: JA_HANDLES, emailProviders: ['gmail.com', 'yahoo.co.jp', 'docomo.ne.jp', 'icloud.com', 'ezweb.ne.jp'], companyTld: 'co.jp', cardBrands: JP_BRANDS, hasState: true, addresses: true },
  { key: 'ru', weight: 4, currency: 'eur', country: 'CY', preferredLocale: 'ru', phonePrefix: '+357', phoneDigits: 8, familyNameFirst: false, romanization: 'cyrillic', emailProviders: ['yandex.ru', 'mail.ru', 'gmail.com', 'proton.me'], companyTld: 'com.cy', cardBrands: EU_BRANDS, hasState: false, addresses: false },
  { key: 'ar', weight: 5, currency: 'kwd', country: 'KW', preferredLocale: 'ar', phonePrefix: '+965', phoneDigits: 8, familyNameFirst: false, romanization: 'pool', handlePool: AR_HANDLES, emailProviders: ['gmail.com', 'hotmail.com', 'outlook.com', 'icloud.com'], companyTld: 'com.kw', cardBrands: WESTERN_BRANDS, hasState: false, addresses: true },
  { key: 'pt_BR', weight: 3, currency: 'usd', country: 'BR', preferredLocale: 'pt-BR', phonePrefix: '+55', phoneDigits: 11, familyNameFirst: false, romanization: 'latin', emailProviders: ['gmail.com', 'hotmail.com', 'uol.com.br', 'bol.com.br'], companyTld: 'com.br', cardBrands: WESTERN_BRANDS, hasState: false, addresses: true },
  { key: 'ko', weight: 2, currency: 'usd', country: 'KR', preferredLocale: 'ko', phonePrefix: '+82', phoneDigits: 10, familyNameFirst: true, romanization: 'pool', handlePool: KO_HANDLES, emailProviders: ['naver.com', 'daum.net', 'gmail.com'], companyTld: 'co.kr', cardBrands: WESTERN_BRANDS, hasState: false, addresses: true },
  { key: 'zh_CN', weight: 1, currency: 'usd', country: 'SG', preferredLocale: 'zh-Hans', phonePrefix: '+65', phoneDigits: 8, familyNameFirst: true, romanization: 'pool', handlePool: ZH_HANDLES, emailProviders: ['qq.com', '163.com', 'gmail.com', 'outlook.com'], companyTld: 'com.sg', cardBrands: CN_BRANDS, hasState: false, addresses: false },
];

export const LOCALE_BY_KEY: ReadonlyMap<FakerLocaleKey, LocaleProfile> = new Map(LOCALE_PROFILES.map((p) => [p.key, p]));

export const LOCALE_WEIGHTS = new Weighted<LocaleProfile>(LOCALE_PROFILES.map((p) => [p, p.weight] as const));

/**
 * The first customers cycle through these so that even a tiny data set (a test seeding 20
 * customers) has every currency and script.
 */
export const COVERAGE_LOCALES: readonly FakerLocaleKey[] = ['en_US', 'ja', 'de', 'ar', 'en_GB', 'ru', 'el', 'fr', 'en_US', 'es', 'ja', 'ar', 'en_US', 'it', 'pt_BR', 'ko'];
