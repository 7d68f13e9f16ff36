// The renderer's Content Security Policy, sent as a response header by both transports (the
// app:// protocol in Electron, the web harness). renderer/index.html repeats it in a <meta> tag,
// minus frame-ancestors, which browsers ignore (and complain about) in a meta policy.

export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/** The <meta> form of the policy: directives a meta tag cannot carry are left out. */
export const RENDERER_META_CSP = RENDERER_CSP.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');
