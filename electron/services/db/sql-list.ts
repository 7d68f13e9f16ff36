// SQL text generated from the code's own lists (stages, currencies), so a list lives in one place
// and the SQL cannot drift from it. Only for fixed words written in the code: user input always
// goes in as a bound parameter, never through here.

const PLAIN_WORD = /^[a-z0-9_]+$/;

/** `('a', 'b')` for an IN clause; refuses anything but plain lower-case words. */
export function sqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('sqlStringList: an empty IN list matches nothing; say what is meant instead.');
  for (const v of values) {
    if (!PLAIN_WORD.test(v)) throw new Error(`sqlStringList: ${JSON.stringify(v)} is not a plain word from the code (user input must be a bound parameter).`);
  }
  return `(${values.map((v) => `'${v}'`).join(', ')})`;
}
