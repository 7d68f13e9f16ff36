// Builds FTS5 MATCH strings from what a person typed. Nothing typed ever reaches FTS5 syntax:
// the query is split into word tokens (letters and digits only), and each token is emitted as a
// double-quoted string, so `"`, `*`, `NEAR(`, `OR`, `:` or `^` are just characters to search for
// (or separators), never operators.

/** One quoted FTS5 string. Tokens hold only letters/digits/marks, but quotes are escaped anyway. */
export function ftsString(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

/** Every token as a prefix, all required: "jo sm" -> "jo"* AND "sm"*. */
export function prefixQuery(tokens: readonly string[], columns?: readonly string[]): string | null {
  if (tokens.length === 0) return null;
  const body = tokens.map((t) => `${ftsString(t)}*`).join(' AND ');
  return columns?.length ? `{${columns.join(' ')}} : (${body})` : body;
}

/**
 * Every token required, each one satisfied by itself (as a prefix) or by one of its alternatives
 * (spelling candidates): ("jonhson"* OR "johnson") AND ("smith"*).
 */
export function alternativesQuery(groups: ReadonlyArray<{ token: string; alternatives: readonly string[] }>, columns?: readonly string[]): string | null {
  if (groups.length === 0) return null;
  const body = groups
    .map((g) => {
      const options = [`${ftsString(g.token)}*`, ...g.alternatives.map(ftsString)];
      return options.length === 1 ? options[0] : `(${options.join(' OR ')})`;
    })
    .join(' AND ');
  return columns?.length ? `{${columns.join(' ')}} : (${body})` : body;
}

/** Tokens that must appear in order, the last one a prefix: `email : ("acme" + "co"*)`. */
export function phrasePrefixQuery(tokens: readonly string[], column: string): string | null {
  if (tokens.length === 0) return null;
  const parts = tokens.map((t, i) => (i === tokens.length - 1 ? `${ftsString(t)} *` : ftsString(t)));
  return `${column} : (${parts.join(' + ')})`;
}
