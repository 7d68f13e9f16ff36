// Where keys live. The app stores them encrypted with Electron's safeStorage (electron/main);
// the CLI and the web harness read environment variables. Services only see this interface.

export type SecretName = 'stripe_key' | 'openai_key' | 'team_token';

export interface SecretStore {
  get(name: SecretName, accountId?: string): string | null;
  set(name: SecretName, value: string, accountId?: string): void;
  delete(name: SecretName, accountId?: string): void;
  /** Accounts with a stored Stripe key, in the order they were added. */
  accountsWithKeys(): string[];
  /** Whether keys survive a restart (false for environment/in-memory stores). */
  readonly persistent: boolean;
}

/** Environment-backed store (CLI, harness): STRIPE_SECRET_KEY, OPENAI_API_KEY; writes stay in memory. */
export class EnvSecretStore implements SecretStore {
  readonly persistent = false;
  private readonly values = new Map<string, string>();

  constructor(env: NodeJS.ProcessEnv = process.env) {
    if (env.STRIPE_SECRET_KEY) this.values.set('stripe_key:default', env.STRIPE_SECRET_KEY.trim());
    if (env.OPENAI_API_KEY) this.values.set('openai_key:default', env.OPENAI_API_KEY.trim());
  }

  get(name: SecretName, accountId = 'default'): string | null {
    return this.values.get(`${name}:${accountId}`) ?? this.values.get(`${name}:default`) ?? null;
  }

  set(name: SecretName, value: string, accountId = 'default'): void {
    this.values.set(`${name}:${accountId}`, value);
  }

  delete(name: SecretName, accountId = 'default'): void {
    this.values.delete(`${name}:${accountId}`);
    if (accountId !== 'default') this.values.delete(`${name}:default`);
  }

  accountsWithKeys(): string[] {
    return [...this.values.keys()].filter((k) => k.startsWith('stripe_key:')).map((k) => k.slice('stripe_key:'.length));
  }
}

/**
 * A team desk's view of any store: no Stripe key and no model key, whatever the store or the
 * environment holds (the team server holds them). Writes of those keys are refused in words.
 */
export class TeamDeskSecretStore implements SecretStore {
  readonly persistent: boolean;
  constructor(private readonly inner: SecretStore) {
    this.persistent = inner.persistent;
  }
  get(name: SecretName, accountId?: string): string | null {
    return name === 'team_token' ? this.inner.get(name, accountId) : null;
  }
  set(name: SecretName, value: string, accountId?: string): void {
    if (name === 'team_token') return this.inner.set(name, value, accountId);
    throw new Error(`A desk on a team keeps no ${name === 'stripe_key' ? 'Stripe' : 'model'} key: the team server holds it.`);
  }
  delete(name: SecretName, accountId?: string): void {
    this.inner.delete(name, accountId);
  }
  accountsWithKeys(): string[] {
    return [];
  }
}
