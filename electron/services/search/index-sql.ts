// SQL expressions that turn a customers row into the text the search index holds. Used by the
// queue drain (index-queue.ts); kept in SQL so a batch is indexed with one INSERT … SELECT.

/** "digits of this phone, then its last 10 and last 7 digits": suffix lookups by whole token. */
export function phoneColumnSql(expr: string): string {
  // Cut at an extension marker (x, ext, #, pause): the position of the first one present, or the
  // end. (min() over several arguments is NULL if any is NULL, hence the coalesce per marker.)
  const lowered = `lower(coalesce(${expr}, ''))`;
  const positions = ['x', 'e', '#', ';', ','].map((m) => `coalesce(nullif(instr(${lowered}, '${m}'), 0), 100000)`);
  let digits = `substr(coalesce(${expr}, ''), 1, min(${positions.join(', ')}) - 1)`;
  for (const sep of ["' '", "'-'", "'('", "')'", "'.'", "'+'", "'/'", 'char(9)']) digits = `replace(${digits}, ${sep}, '')`;
  return `(SELECT d || CASE WHEN length(d) > 10 THEN ' ' || substr(d, -10) ELSE '' END
                    || CASE WHEN length(d) > 7 THEN ' ' || substr(d, -7) ELSE '' END
           FROM (SELECT ${digits} AS d))`;
}

/** Metadata values and the description: free text agents also search by. Invalid JSON reads as none. */
export function extraColumnSql(row: string): string {
  return `trim(coalesce(${row}.description, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(
      CASE WHEN json_valid(${row}.metadata_json) THEN ${row}.metadata_json ELSE '{}' END)
      WHERE type IN ('text', 'integer', 'real')), ''))`;
}

/** Names written in Han, kana or Hangul (no spaces between words): these go to the trigram table. */
export const CJK_GLOB = "'*[一-鿿㐀-䶿぀-ヿ가-힯豈-﫿]*'";
