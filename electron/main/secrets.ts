import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { SecretName, SecretStore } from '../services/core/secrets';

// Keys stored by the app: encrypted with Electron's safeStorage (the OS keychain: Keychain on
// macOS, DPAPI on Windows, Secret Service/KWallet on Linux), ciphertext as base64 in
// userData/secrets.json. The cipher is injected so the store is tested under Node with a fake.

/** The part of Electron's `safeStorage` this store uses. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which backend safeStorage picked ('basic_text' means a hard-coded password). */
  getSelectedStorageBackend?(): string;
}

interface StoredEntry {
  name: SecretName;
  account: string;
  /** base64 of safeStorage.encryptString(value) */
  ciphertext: string;
}

interface SecretsFile {
  version: 1;
  entries: StoredEntry[];
}

const SECRET_NAMES: readonly SecretName[] = ['stripe_key', 'openai_key', 'team_token'];

export const ENCRYPTION_UNAVAILABLE_MESSAGE =
  "This computer's keychain is not available to the app, so the key cannot be stored safely and nothing was stored. " +
  'On Linux, install and unlock a Secret Service keyring (GNOME Keyring or KWallet), then restart the app. ' +
  'Until then you can try the console with the demo workspace, or use the CLI and `npm run web` with STRIPE_SECRET_KEY set in the environment.';

function parseFile(raw: unknown): StoredEntry[] | null {
  if (typeof raw !== 'object' || raw === null || (raw as SecretsFile).version !== 1 || !Array.isArray((raw as SecretsFile).entries)) return null;
  return (raw as SecretsFile).entries.filter(
    (e): e is StoredEntry =>
      typeof e === 'object' && e !== null && SECRET_NAMES.includes(e.name) && typeof e.account === 'string' && e.account.length > 0 && e.account.length <= 255 && typeof e.ciphertext === 'string' && /^[A-Za-z0-9+/]+=*$/.test(e.ciphertext),
  );
}

export class SafeStorageSecretStore implements SecretStore {
  readonly persistent = true;
  private entries: StoredEntry[];
  /** Decrypted values, so the keychain is asked once per key and run (it may prompt on macOS). */
  private readonly plain = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
    /** Told about a file or key that could not be read (never given the key itself). */
    private readonly warn: (message: string, fields?: Record<string, unknown>) => void = () => {},
  ) {
    this.entries = this.load();
  }

  /** Whether keys can be stored here; when false, `set` refuses with ENCRYPTION_UNAVAILABLE_MESSAGE. */
  canStore(): boolean {
    if (!this.cipher.isEncryptionAvailable()) return false;
    // 'basic_text' encrypts with a password compiled into Chromium: no better than plain text.
    return this.cipher.getSelectedStorageBackend?.() !== 'basic_text';
  }

  get(name: SecretName, accountId = 'default'): string | null {
    return this.read(name, accountId) ?? (accountId === 'default' ? null : this.read(name, 'default'));
  }

  set(name: SecretName, value: string, accountId = 'default'): void {
    if (!this.canStore()) throw new AppError('not_configured', ENCRYPTION_UNAVAILABLE_MESSAGE);
    const ciphertext = this.cipher.encryptString(value).toString('base64');
    const next = this.entries.filter((e) => !(e.name === name && e.account === accountId));
    next.push({ name, account: accountId, ciphertext });
    this.save(next);
    this.entries = next;
    this.plain.set(`${name}:${accountId}`, value);
  }

  delete(name: SecretName, accountId = 'default'): void {
    const next = this.entries.filter((e) => !(e.name === name && e.account === accountId));
    this.plain.delete(`${name}:${accountId}`);
    if (next.length === this.entries.length) return;
    this.save(next);
    this.entries = next;
  }

  accountsWithKeys(): string[] {
    return this.entries.filter((e) => e.name === 'stripe_key').map((e) => e.account);
  }

  private read(name: SecretName, accountId: string): string | null {
    const cacheKey = `${name}:${accountId}`;
    const cached = this.plain.get(cacheKey);
    if (cached !== undefined) return cached;
    const entry = this.entries.find((e) => e.name === name && e.account === accountId);
    if (!entry) return null;
    try {
      const value = this.cipher.decryptString(Buffer.from(entry.ciphertext, 'base64'));
      this.plain.set(cacheKey, value);
      return value;
    } catch (err) {
      // A keychain reset or a file copied from another machine: treat the key as absent so the
      // user is asked for it again, and say why in the log.
      this.warn('a stored key could not be decrypted; it must be entered again', { name, account: accountId, error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  private load(): StoredEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warn('the secrets file could not be read', { file: this.file, error: (err as Error).message });
      return [];
    }
    let parsed: StoredEntry[] | null = null;
    try {
      parsed = parseFile(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (parsed) return parsed;
    // Never overwrite a file we could not understand: move it aside, like the cache does.
    const movedTo = `${this.file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      fs.renameSync(this.file, movedTo);
    } catch {
      // If it cannot be moved, writing a new one will fail loudly later; reading stays empty.
    }
    this.warn('the secrets file was not in the expected format and was moved aside; keys must be entered again', { movedTo });
    return [];
  }

  /** Atomic write (temp file + rename), readable by the user only. */
  private save(entries: StoredEntry[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const body: SecretsFile = { version: 1, entries };
    fs.writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
