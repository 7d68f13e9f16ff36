// The base URL of the copilot's model server receives the model key as a Bearer token and every
// customer message the agent drafts from. Plain http is only acceptable when the request never
// leaves this computer; credentials and query strings have no place in it (a key in the URL ends
// up in logs and proxies; a query string can smuggle parameters past the provider's client).

/** localhost, 127.0.0.0/8 and ::1: the only hosts plain http may go to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export const BASE_URL_EXAMPLE = 'http://127.0.0.1:11434/v1';

/** Why this base URL is refused, in words; null when it may be used. */
export function modelBaseUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return `The base URL must be an http(s) URL, e.g. ${BASE_URL_EXAMPLE}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `The base URL must be an http(s) URL, e.g. ${BASE_URL_EXAMPLE}`;
  if (url.username || url.password) return 'The base URL must not contain a user name or password (user:password@). Put the key in the API key field instead.';
  if (url.search || raw.includes('?')) return 'The base URL must not contain a query string (?…). Use only the server address and path, e.g. https://api.example.com/v1';
  if (url.hash || raw.includes('#')) return 'The base URL must not contain a fragment (#…).';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `Plain http:// is only allowed for a server on this computer (localhost, 127.0.0.1, [::1]): the key and the customer messages would cross the network unencrypted. Use https://${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  }
  return null;
}

/** The origin the model key is bound to for a base URL (null base = OpenAI). */
export function modelOrigin(baseUrl: string | null): string {
  if (!baseUrl) return 'https://api.openai.com';
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl;
  }
}
