import type pg from 'pg';
import '../pg-types';
import type { SecretBox } from '../secret-box';
import type { CopilotProvider, CopilotSettingsView } from '../../../shared/contract/copilot';
import { modelOrigin } from '../../../shared/domain/model-base-url';
import { DEFAULT_OPENAI_MODEL } from '../../services/copilot/model/config';

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

/** What an admin sets in Settings → Copilot for the team (copilot.settings.set): the contract's settings, the key apart. */
export type TeamModelChoice = Pick<CopilotSettingsView, 'provider' | 'baseUrl' | 'model' | 'api' | 'embeddingModel' | 'timeoutSeconds'>;

/** The team's model settings as stored: the choice, and what is known of the key without opening it. */
export interface TeamModelSettings extends TeamModelChoice {
  keySet: boolean;
  keyHint: string | null;
  /** The origin the key was saved for: it is only ever sent there. */
  keyOrigin: string | null;
}

type Stored = Partial<TeamModelChoice> & { baseUrl?: string | null; model?: string | null; keyHint?: string | null; keyOrigin?: string | null };

const isOpenAi = (baseUrl: string | null) => modelOrigin(baseUrl) === 'https://api.openai.com';

/** A stored value (also one written before the choice was stored: base URL and model only, set with the key). */
function settingsOf(v: Stored | null | undefined, hasKey: boolean): TeamModelSettings {
  const baseUrl = v?.baseUrl ?? null;
  const provider: CopilotProvider = v?.provider ?? (baseUrl && !isOpenAi(baseUrl) ? 'compatible' : hasKey ? 'openai' : 'none');
  return {
    provider,
    baseUrl: provider === 'openai' ? null : baseUrl,
    model: v?.model ?? DEFAULT_OPENAI_MODEL,
    api: v?.api ?? 'chat',
    embeddingModel: v?.embeddingModel ?? null,
    timeoutSeconds: v?.timeoutSeconds ?? 60,
    keySet: hasKey,
    keyHint: hasKey ? (v?.keyHint ?? null) : null,
    keyOrigin: hasKey ? (v?.keyOrigin ?? modelOrigin(baseUrl)) : null,
  };
}

/** Where requests go for these settings (null: no model). */
function targetOf(s: TeamModelChoice): string | null {
  if (s.provider === 'none') return null;
  return s.provider === 'openai' ? DEFAULT_MODEL_BASE_URL : s.baseUrl;
}

export interface ModelSettingsStore {
  get(): Promise<ModelConfig | null>;
  set(config: ModelConfig): Promise<void>;
}

export class PgModelSettingsStore implements ModelSettingsStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly box: SecretBox | null,
  ) {}

  private async row(): Promise<{ value: Stored | null; secret: string | null }> {
    const { rows } = await this.pool.query<{ value: Stored | null; secret_ciphertext: string | null }>('SELECT value, secret_ciphertext FROM team_settings WHERE key = $1', [SETTING]);
    return { value: rows[0]?.value ?? null, secret: rows[0]?.secret_ciphertext ?? null };
  }

  private async write(value: Stored, secret: string | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO team_settings (key, value, secret_ciphertext, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, secret_ciphertext = excluded.secret_ciphertext, updated_at = now()`,
      [SETTING, JSON.stringify(value), secret],
    );
  }

  /** Whether a key can be stored at all (BSC_TEAM_SECRET is set). */
  canStoreKeys(): boolean {
    return this.box !== null;
  }

  /** What the model proxy uses: only a key bound to the origin the settings point at is sent. */
  async get(): Promise<ModelConfig | null> {
    const { value, secret } = await this.row();
    if (!secret || !value || !this.box) return null;
    const s = settingsOf(value, true);
    const target = targetOf(s);
    if (!target || modelOrigin(target) !== s.keyOrigin) return null;
    return { baseUrl: target.replace(/\/+$/, ''), model: value.model ?? null, key: this.box.open(secret) };
  }

  /** The team's settings without the key (what copilot.settings.* answer). */
  async settings(): Promise<TeamModelSettings> {
    const { value, secret } = await this.row();
    return settingsOf(value, secret !== null);
  }

  /** The environment's model at start (OPENAI_API_KEY, OPENAI_BASE_URL, COPILOT_MODEL): the key goes with that base URL. */
  async set(config: ModelConfig): Promise<void> {
    const baseUrl = config.baseUrl.replace(/\/+$/, '');
    const current = await this.settings();
    const provider: CopilotProvider = isOpenAi(baseUrl) ? 'openai' : 'compatible';
    await this.write({ ...current, provider, baseUrl: provider === 'openai' ? null : baseUrl, model: config.model ?? current.model, keyHint: config.key.slice(-4), keyOrigin: modelOrigin(baseUrl) }, this.seal(config.key));
  }

  /** An admin's choice; the key stays, bound to the origin it was saved for. */
  async choose(choice: TeamModelChoice): Promise<TeamModelSettings> {
    const { value, secret } = await this.row();
    const current = settingsOf(value, secret !== null);
    await this.write({ ...choice, baseUrl: choice.provider === 'openai' ? null : choice.baseUrl, keyHint: current.keyHint, keyOrigin: current.keyOrigin }, secret);
    return this.settings();
  }

  /** An admin's key: sealed, bound to where the settings point now. */
  async setKey(key: string): Promise<TeamModelSettings> {
    const current = await this.settings();
    const target = targetOf(current);
    await this.write({ ...current, keyHint: key.slice(-4), keyOrigin: modelOrigin(target === DEFAULT_MODEL_BASE_URL ? null : target) }, this.seal(key));
    return this.settings();
  }

  async clearKey(): Promise<TeamModelSettings> {
    const current = await this.settings();
    await this.write({ ...current, keyHint: null, keyOrigin: null }, null);
    return this.settings();
  }

  private seal(key: string): string {
    if (!this.box) throw new Error('BSC_TEAM_SECRET is not set: the team server cannot store the model key without it.');
    return this.box.seal(key);
  }
}
