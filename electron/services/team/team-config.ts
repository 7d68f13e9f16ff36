import { AppError } from '../../../shared/contract/errors';
import { normalizeTeamUrl, teamUrlProblem } from '../../../shared/domain/team-url';
import type { SecretStore } from '../core/secrets';
import type { Settings } from '../core/settings';

// Team mode: the desk replicates from a team server instead of holding a Stripe key. The CLI and
// the harness take BSC_TEAM_URL + BSC_TEAM_TOKEN; the app passes what Settings → Team stored.

export interface TeamConfig {
  url: string;
  token: string;
}

/** The team settings from the environment; null for a solo desk; refused in words when unusable. */
export function teamConfigFromEnv(env: NodeJS.ProcessEnv): TeamConfig | null {
  const url = env.BSC_TEAM_URL?.trim();
  const token = env.BSC_TEAM_TOKEN?.trim();
  if (!url && !token) return null;
  if (!url) throw new AppError('bad_input', 'BSC_TEAM_TOKEN is set but BSC_TEAM_URL is not: name the team server, e.g. BSC_TEAM_URL=https://team.example.com');
  if (!token) throw new AppError('bad_input', 'BSC_TEAM_URL is set but BSC_TEAM_TOKEN is not: ask a team admin for your agent token (billing-console team agent add).');
  return checkTeamConfig({ url, token });
}

export function checkTeamConfig(c: TeamConfig): TeamConfig {
  const problem = teamUrlProblem(c.url);
  if (problem) throw new AppError('bad_input', problem);
  if (!/^[\x21-\x7e]{16,512}$/.test(c.token.trim())) throw new AppError('bad_input', 'The agent token does not look like one (16 to 512 printable characters, no spaces). Paste it as the team admin gave it.');
  return { url: normalizeTeamUrl(c.url), token: c.token.trim() };
}

export const TEAM_URL_SETTING = 'team_url';

/** What Settings → Team stored: the URL in the cache's settings, the token in the keychain. */
export function storedTeamConfig(settings: Settings, secrets: SecretStore): TeamConfig | null {
  const url = settings.get<string | null>(TEAM_URL_SETTING, null);
  const token = secrets.get('team_token');
  if (!url || !token) return null;
  return checkTeamConfig({ url, token });
}
