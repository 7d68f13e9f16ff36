import { create } from 'zustand';
import type { CopilotSettingsView } from '../../../../shared/contract/copilot';
import { api, errorMessage } from '../../api/client';

// The copilot's model settings as the services report them (never the key): the panel says which
// path will answer, the settings section edits them; both read this one store.

interface CopilotSettingsState {
  settings: CopilotSettingsView | null;
  error: string | null;
  load(): Promise<void>;
  /** After a settings call answered with the new view. */
  update(view: CopilotSettingsView): void;
}

export const useCopilotSettings = create<CopilotSettingsState>((set) => ({
  settings: null,
  error: null,
  load: async () => {
    try {
      set({ settings: await api.call('copilot.settings.get', {}), error: null });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },
  update: (settings) => set({ settings, error: null }),
}));

/** "Rules and templates (no model)" or "Model gpt-4o-mini on 127.0.0.1:11434". */
export function answeringPath(s: CopilotSettingsView): string {
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
