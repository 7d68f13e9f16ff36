import type { CopilotSettingsView } from '../../../../shared/contract/copilot';
import { errorMessage } from '../../api/client';
import { callKey, queryClient, useCall } from '../../api/queries';

// The copilot's model settings as the services report them (never the key): the panel says which
// path will answer, the settings section edits them; both read the one cached copilot.settings.get.

export function useCopilotSettings() {
  const query = useCall('copilot.settings.get', {});
  return {
    settings: query.data ?? null,
    error: query.error ? errorMessage(query.error) : null,
    load: () => void query.refetch(),
  };
}

/** After a settings call answered with the new view: the cache holds it at once. */
export function updateCopilotSettings(view: CopilotSettingsView): void {
  queryClient.setQueryData(callKey('copilot.settings.get', {}), view);
}

/** "Rules and templates (no model)" or "Model gpt-4o-mini on 127.0.0.1:11434". */
export function answeringPath(s: CopilotSettingsView): string {
  if (s.team) return s.configured ? `The team's model (set by an admin): ${s.model}` : "Rules and templates (the team's model cannot answer now)";
  if (!s.configured) return 'Rules and templates (no model configured)';
  const where = s.provider === 'compatible' && s.baseUrl ? ` on ${hostOf(s.baseUrl)}` : s.provider === 'openai' ? ' (OpenAI)' : '';
  return `Model ${s.model}${where}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
