import { AppError } from '../../../shared/contract/errors';
import type { PortalSettings } from '../../../shared/contract/portal';
import { parseExternalUrl } from '../../../shared/domain/external-url';
import type { Settings } from '../core/settings';
import { DEMO_ACCOUNT } from '../workspace/workspace';

// Per-account portal settings. Each Stripe account has its own site to return to and its own
// configurations, so the values are keyed by account id.

const returnUrlKey = (accountId: string) => `portal.return_url:${accountId}`;
const defaultConfigKey = (accountId: string) => `portal.default_configuration:${accountId}`;

/** The demo workspace starts with a return URL so its simulated links work out of the box. */
export const DEMO_RETURN_URL = 'https://example.com/billing';

export function getPortalSettings(settings: Settings, accountId: string): PortalSettings {
  const fallback = accountId === DEMO_ACCOUNT.id ? DEMO_RETURN_URL : null;
  return {
    accountId,
    returnUrl: settings.get<string | null>(returnUrlKey(accountId), fallback),
    defaultConfigurationId: settings.get<string | null>(defaultConfigKey(accountId), null),
  };
}

export function setPortalSettings(settings: Settings, accountId: string, change: { returnUrl?: string | null; defaultConfigurationId?: string | null }): PortalSettings {
  if (change.returnUrl !== undefined) {
    if (change.returnUrl === null) settings.set(returnUrlKey(accountId), null);
    else settings.set(returnUrlKey(accountId), requireHttpUrl(change.returnUrl, 'The return URL'));
  }
  if (change.defaultConfigurationId !== undefined) {
    if (change.defaultConfigurationId === null) settings.delete(defaultConfigKey(accountId));
    else settings.set(defaultConfigKey(accountId), change.defaultConfigurationId);
  }
  return getPortalSettings(settings, accountId);
}

/** The normalized URL, or a bad_input error that says what a valid one looks like. */
export function requireHttpUrl(value: string, what: string): string {
  const url = parseExternalUrl(value.trim());
  if (!url) throw new AppError('bad_input', `${what} must be a full http(s) address such as https://example.com/account (got "${value.slice(0, 80)}").`);
  return url;
}
