import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { ENCRYPTION_UNAVAILABLE_MESSAGE, SafeStorageSecretStore, type SecretCipher } from '../../electron/main/secrets';
import { tempDir } from '../helpers/services';

// The app's key store, with a fake cipher standing in for Electron's safeStorage. The fake XORs
// with a per-"machine" byte and tags its output, so a file from another machine fails to decrypt.

class FakeCipher implements SecretCipher {
  available = true;
  backend: string | undefined = undefined;
  encryptCalls = 0;
  decryptCalls = 0;
  constructor(private readonly machine = 0x5a) {}
  isEncryptionAvailable() {
    return this.available;
  }
  encryptString(plain: string): Buffer {
    this.encryptCalls++;
    const body = Buffer.from(plain, 'utf8').map((b) => b ^ this.machine);
    return Buffer.concat([Buffer.from([0xfe, this.machine]), body]);
  }
  decryptString(data: Buffer): string {
    this.decryptCalls++;
    if (data[0] !== 0xfe || data[1] !== this.machine) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(data.subarray(2).map((b) => b ^ this.machine)).toString('utf8');
  }
  getSelectedStorageBackend = () => this.backend ?? 'gnome_libsecret';
}

const KEY = 'sk_test_51Hx' + 'A1b2C3d4E5f6G7h8J9k0';
const KEY2 = 'rk_live_51Hx' + 'Z9y8X7w6V5u4T3s2R1q0';

describe('SafeStorageSecretStore', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const setup = (cipher = new FakeCipher()) => {
    const { dir, cleanup } = tempDir('bsc-secrets-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'secrets.json');
    const warnings: string[] = [];
    const open = (c: SecretCipher = cipher) => new SafeStorageSecretStore(file, c, (m) => warnings.push(m));
    return { file, dir, cipher, warnings, open, store: open() };
  };

  it('stores ciphertext only: the key never appears in the file, and a new store reads it back', () => {
    const { file, store, open } = setup();
    store.set('stripe_key', KEY, 'acct_1');
    store.set('openai_key', 'sk-proj-abcdefghijklmnopqrstuvwxyz');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain(KEY.slice(-8));
    const again = open();
    expect(again.get('stripe_key', 'acct_1')).toBe(KEY);
    expect(again.get('openai_key')).toBe('sk-proj-abcdefghijklmnopqrstuvwxyz');
    expect(again.persistent).toBe(true);
  });

  it('writes the file readable by the user only', () => {
    const { file, store } = setup();
    store.set('stripe_key', KEY, 'acct_1');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('keeps accounts in the order they were added; replacing a key keeps one entry', () => {
    const { store, open } = setup();
    store.set('stripe_key', KEY, 'acct_1');
    store.set('stripe_key', KEY2, 'acct_2');
    store.set('stripe_key', KEY2, 'acct_1');
    expect(open().accountsWithKeys()).toEqual(['acct_2', 'acct_1']);
    expect(open().get('stripe_key', 'acct_1')).toBe(KEY2);
  });

  it('delete removes the key from the file', () => {
    const { store, open, file } = setup();
    store.set('stripe_key', KEY, 'acct_1');
    store.set('stripe_key', KEY2, 'acct_2');
    store.delete('stripe_key', 'acct_1');
    expect(store.get('stripe_key', 'acct_1')).toBeNull();
    expect(open().accountsWithKeys()).toEqual(['acct_2']);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).entries).toHaveLength(1);
    store.delete('stripe_key', 'acct_missing'); // a no-op, not an error
  });

  it('refuses to store when encryption is unavailable, in words, and stores nothing', () => {
    const { store, file, cipher } = setup();
    cipher.available = false;
    expect(store.canStore()).toBe(false);
    let caught: unknown;
    try {
      store.set('stripe_key', KEY, 'acct_1');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('not_configured');
    expect((caught as AppError).message).toBe(ENCRYPTION_UNAVAILABLE_MESSAGE);
    expect((caught as AppError).message).not.toContain(KEY);
    expect(fs.existsSync(file)).toBe(false);
    expect(cipher.encryptCalls).toBe(0);
  });

  it("refuses Linux's basic_text backend (a password compiled into Chromium is no protection)", () => {
    const { store, cipher } = setup();
    cipher.backend = 'basic_text';
    expect(store.canStore()).toBe(false);
    expect(() => store.set('stripe_key', KEY, 'acct_1')).toThrow(/keychain is not available/);
    cipher.backend = 'kwallet5';
    expect(store.canStore()).toBe(true);
  });

  it('a file from another machine (or a reset keychain): the key reads as absent, with a warning that names no key', () => {
    const { store, open, warnings } = setup(new FakeCipher(0x11));
    store.set('stripe_key', KEY, 'acct_1');
    const elsewhere = open(new FakeCipher(0x22));
    expect(elsewhere.get('stripe_key', 'acct_1')).toBeNull();
    expect(warnings.join('\n')).toMatch(/could not be decrypted/);
    expect(warnings.join('\n')).not.toContain(KEY);
  });

  it('decrypts each key once per run (the keychain may prompt)', () => {
    const { store, open, cipher } = setup();
    store.set('stripe_key', KEY, 'acct_1');
    const again = open();
    const before = cipher.decryptCalls;
    for (let i = 0; i < 5; i++) again.get('stripe_key', 'acct_1');
    expect(cipher.decryptCalls - before).toBe(1);
  });

  it.each([
    ['not JSON', '{"version":1,"entries":[{'],
    ['a newer format', JSON.stringify({ version: 2, entries: [] })],
    ['an array', '[]'],
  ])('an unreadable file (%s) is moved aside, never overwritten', (_label, body) => {
    const { file, dir, open, warnings } = setup();
    fs.writeFileSync(file, body);
    const store = open();
    expect(store.accountsWithKeys()).toEqual([]);
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('secrets.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(body);
    expect(warnings.join('\n')).toMatch(/moved aside/);
    store.set('stripe_key', KEY, 'acct_1');
    expect(open().get('stripe_key', 'acct_1')).toBe(KEY);
  });

  it('drops malformed entries but keeps the good ones', () => {
    const { file, open } = setup();
    const good = new FakeCipher().encryptString(KEY).toString('base64');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        entries: [
          { name: 'stripe_key', account: 'acct_ok', ciphertext: good },
          { name: '__proto__', account: 'acct_x', ciphertext: good },
          { name: 'stripe_key', account: '', ciphertext: good },
          { name: 'stripe_key', account: 'acct_y', ciphertext: 'not base64!' },
          { name: 'stripe_key', account: 5, ciphertext: good },
          null,
        ],
      }),
    );
    const store = open();
    expect(store.accountsWithKeys()).toEqual(['acct_ok']);
    expect(store.get('stripe_key', 'acct_ok')).toBe(KEY);
  });

  it('falls back to the default entry like the environment store does', () => {
    const { store } = setup();
    store.set('openai_key', 'sk-proj-abcdefghijklmnopqrstuvwxyz');
    expect(store.get('openai_key', 'acct_1')).toBe('sk-proj-abcdefghijklmnopqrstuvwxyz');
    expect(store.get('stripe_key', 'acct_1')).toBeNull();
  });
});
