import type pg from 'pg';
import '../pg-types';
import type { SecretBox } from '../secret-box';

// The team's model provider: base URL and default model in team_settings, the key only sealed
// with BSC_TEAM_SECRET. Set from OPENAI_API_KEY / OPENAI_BASE_URL / COPILOT_MODEL at start (an
// admin can change them later); read by the model proxy on each request, so every instance
// follows a change without a restart.

export interface ModelConfig {
  baseUrl: string;
  model: string | null;
  key: string;
}

export const DEFAULT_MODEL_BASE_URL = 'https://api.openai.com/v1';
const SETTING = 'model_provider';

export interface ModelSettingsStore {
  get(): Promise<ModelConfig | null>;
  set(config: ModelConfig): Promise<void>;
}

export class PgModelSettingsStore implements ModelSettingsStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly box: SecretBox | null,
  ) {}

  async get(): Promise<ModelConfig | null> {
    const { rows } = await this.pool.query<{ value: { baseUrl: string; model: string | null } | null; secret_ciphertext: string | null }>('SELECT value, secret_ciphertext FROM team_settings WHERE key = $1', [SETTING]);
    const row = rows[0];
    if (!row?.secret_ciphertext || !row.value || !this.box) return null;
    return { baseUrl: row.value.baseUrl, model: row.value.model, key: this.box.open(row.secret_ciphertext) };
  }

  async set(config: ModelConfig): Promise<void> {
    if (!this.box) throw new Error('BSC_TEAM_SECRET is not set: the team server cannot store the model key without it.');
    const baseUrl = config.baseUrl.replace(/\/+$/, '');
    await this.pool.query(
      `INSERT INTO team_settings (key, value, secret_ciphertext, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, secret_ciphertext = excluded.secret_ciphertext, updated_at = now()`,
      [SETTING, JSON.stringify({ baseUrl, model: config.model }), this.box.seal(config.key)],
    );
  }
}
