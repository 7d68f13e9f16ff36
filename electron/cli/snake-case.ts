// CLI JSON speaks Stripe's dialect (snake_case keys), while the contract DTOs are camelCase.
// Keys under `metadata` are the user's own and pass through untouched.

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function snakeKeys(value: unknown, keepKeysUnder: ReadonlySet<string> = new Set(['metadata'])): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeKeys(v, keepKeysUnder));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [snake(k), keepKeysUnder.has(k) ? v : snakeKeys(v, keepKeysUnder)]));
  }
  return value;
}
