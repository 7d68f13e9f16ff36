// Secrets must never reach the renderer or a log line. Known secret values are replaced exactly;
// anything shaped like a Stripe or OpenAI key is masked too, in case a library echoes one back.
const KEY_SHAPES = [
  /\b(sk|rk)_(test|live)_[A-Za-z0-9]{8,}/g,
  /\bsk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g,
  /\bwhsec_[A-Za-z0-9]{8,}/g,
  /\b(pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/g,
  /Bearer\s+[A-Za-z0-9._-]{8,}/g,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret value so any later occurrence is masked. */
  remember(secret: string | null | undefined): void {
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  forget(secret: string): void {
    this.secrets.delete(secret);
  }

  text(input: string): string {
    let out = input;
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    for (const shape of KEY_SHAPES) out = out.replace(shape, '[redacted]');
    return out;
  }

  /** Deep copy with every string redacted (for payloads and structured logs). */
  value<T>(input: T): T {
    return JSON.parse(JSON.stringify(input ?? null), (_k, v) => (typeof v === 'string' ? this.text(v) : v)) as T;
  }
}

export function maskKey(key: string): string {
  return key.length <= 4 ? '••••' : `••••${key.slice(-4)}`;
}
