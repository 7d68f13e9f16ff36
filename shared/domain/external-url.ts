/**
 * Returns the normalized URL when it is safe to hand to the system browser: parsed by the URL
 * parser (not a regex), http or https only, no credentials. Anything else (javascript:, file:,
 * custom schemes that launch other apps, smb shares) gets null.
 */
export function parseExternalUrl(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  if (!url.hostname) return null;
  return url.toString();
}
