import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

// Secrets at rest in the team database (the Stripe keys, the model key) are sealed with
// BSC_TEAM_SECRET: AES-256-GCM with a key derived by scrypt from the secret and a random salt per
// value. The database alone (a dump, a backup) reveals no key; a wrong BSC_TEAM_SECRET is told in
// words, never answered with garbage.
//
// Sealed form: "v1.<salt>.<iv>.<tag>.<ciphertext>", each part base64url.

export class TeamSecretMissingError extends Error {
  constructor() {
    super('BSC_TEAM_SECRET is not set: the team server needs it to encrypt and read the Stripe and model keys stored in its database (use a long random value, e.g. `openssl rand -base64 32`, and keep it the same on every instance).');
    this.name = 'TeamSecretMissingError';
  }
}

export class TeamSecretMismatchError extends Error {
  constructor() {
    super('A key stored in the team database cannot be decrypted with this BSC_TEAM_SECRET: every instance must use the secret the key was saved with (or save the key again).');
    this.name = 'TeamSecretMismatchError';
  }
}

const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secret: string) {
    if (!secret || secret.trim().length < 16) {
      throw new Error(secret ? 'BSC_TEAM_SECRET is too short: use at least 16 characters (better 32 random bytes, base64).' : new TeamSecretMissingError().message);
    }
  }

  static fromEnv(env: NodeJS.ProcessEnv): SecretBox {
    if (!env.BSC_TEAM_SECRET) throw new TeamSecretMissingError();
    return new SecretBox(env.BSC_TEAM_SECRET);
  }

  private keyFor(salt: Buffer): Buffer {
    const id = salt.toString('base64url');
    let key = this.keys.get(id);
    if (!key) {
      key = scryptSync(this.secret, salt, 32, SCRYPT);
      this.keys.set(id, key);
    }
    return key;
  }

  seal(plaintext: string): string {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(salt), iv);
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', salt, iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new Error('A stored key is not in the sealed format this team server writes (v1.salt.iv.tag.data).');
    const [salt, iv, tag, ct] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyFor(salt), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch {
      throw new TeamSecretMismatchError();
    }
  }
}
