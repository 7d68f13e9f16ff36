/** BSC_TEAM_LISTEN: "HOST:PORT", "[::1]:PORT" or ":PORT"; default 127.0.0.1:8787. */
export function parseListenAddress(raw: string | undefined): { host: string; port: number } {
  const text = (raw ?? '').trim() || '127.0.0.1:8787';
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`BSC_TEAM_LISTEN must look like 127.0.0.1:8787 (host:port; port 0 picks a free one), not "${text.slice(0, 80)}".`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
