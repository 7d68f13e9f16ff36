import { isLoopbackHost } from './model-base-url';

// The team server's address receives the agent's token on every request: the same rule as the
// model base URL (https, or plain http only to this computer), and no credentials or query in it.

export const TEAM_URL_EXAMPLE = 'https://team.example.com';

/** Why this team server URL is refused, in words; null when a desk may use it. */
export function teamUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return `The team server address must be an https:// URL, e.g. ${TEAM_URL_EXAMPLE}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `The team server address must be an https:// URL, e.g. ${TEAM_URL_EXAMPLE}`;
  if (url.username || url.password) return 'The team server address must not contain a user name or password (user:password@): the agent token goes in its own field.';
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) return 'The team server address must not contain a query string or fragment: only the server address, e.g. https://team.example.com';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `Plain http:// is only allowed for a team server on this computer (localhost, 127.0.0.1, [::1]): the agent token and every note would cross the network unencrypted. Use https://${url.host}`;
  }
  return null;
}

/** The URL without a trailing slash, so paths can be appended. */
export function normalizeTeamUrl(raw: string): string {
  const url = new URL(raw.trim());
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
