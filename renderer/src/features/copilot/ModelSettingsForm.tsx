import { useEffect, useId, useState } from 'react';
import type { CopilotApi, CopilotProvider, CopilotSettingsView } from '../../../../shared/contract/copilot';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';
import { useApp } from '../../app/store';
import { modelBaseUrlProblem } from '../../../../shared/domain/model-base-url';
import { useRoleRefusal } from '../team/role';

// Which model drafts the replies: none (rules and templates), OpenAI, or any OpenAI-compatible
// server on the desk (Ollama, LM Studio, vLLM) so billing data never leaves it. The services check
// every field again and answer in words.

const LOCAL_SERVERS: Array<{ name: string; url: string; model: string }> = [
  { name: 'Ollama', url: 'http://127.0.0.1:11434/v1', model: 'llama3.1' },
  { name: 'LM Studio', url: 'http://127.0.0.1:1234/v1', model: 'qwen2.5-7b-instruct' },
  { name: 'vLLM', url: 'http://127.0.0.1:8000/v1', model: 'meta-llama/Llama-3.1-8B-Instruct' },
];
const OPENAI_MODELS = ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1', 'gpt-4o'];

interface Draft {
  provider: CopilotProvider;
  baseUrl: string;
  model: string;
  api: CopilotApi;
  embeddingModel: string;
  timeoutSeconds: string;
}

function draftOf(s: CopilotSettingsView): Draft {
  return { provider: s.provider, baseUrl: s.baseUrl ?? '', model: s.model, api: s.api, embeddingModel: s.embeddingModel ?? '', timeoutSeconds: String(s.timeoutSeconds) };
}

/** The words for a field the services would refuse, before anything is sent. */
function problemOf(d: Draft): string | null {
  if (d.provider !== 'none' && !d.model.trim()) return 'Enter a model name, e.g. gpt-4o-mini or llama3.1.';
  if (d.model.trim().length > 200) return `The model name is ${d.model.trim().length.toLocaleString()} characters long; a model name has at most 200.`;
  if (d.embeddingModel.trim().length > 200) return `The embedding model name is ${d.embeddingModel.trim().length.toLocaleString()} characters long; a model name has at most 200.`;
  if (d.provider === 'compatible') {
    if (!d.baseUrl.trim()) return 'Enter the base URL of the server, e.g. http://127.0.0.1:11434/v1 for Ollama.';
    if (!/^https?:\/\/[^\s/]+/i.test(d.baseUrl.trim())) return 'The base URL must start with http:// or https://, e.g. http://127.0.0.1:11434/v1.';
    if (d.baseUrl.trim().length > 500) return `The base URL is ${d.baseUrl.trim().length.toLocaleString()} characters long; the limit is 500. It looks like http://127.0.0.1:11434/v1.`;
    const urlProblem = modelBaseUrlProblem(d.baseUrl.trim());
    if (urlProblem) return urlProblem;
  }
  const t = Number(d.timeoutSeconds);
  if (!Number.isInteger(t) || t < 5 || t > 600) return 'The timeout is a whole number of seconds from 5 to 600.';
  return null;
}

export function ModelSettingsForm({ settings, onSaved }: { settings: CopilotSettingsView; onSaved: (v: CopilotSettingsView) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useApp((s) => s.showToast);
  const id = useId();
  useEffect(() => setDraft(draftOf(settings)), [settings]);
  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setError(null);
  };
  const problem = problemOf(draft);

  const setSettings = useCallMutation('copilot.settings.set', { invalidates: ['copilot.settings.get'] });
  // On a team the model settings are the team's: an admin changes them (the server's table).
  const refusal = useRoleRefusal('copilot.settings.set', {});
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (problem) return setError(problem);
    setSaving(true);
    try {
      const view = await setSettings.mutateAsync({
        provider: draft.provider,
        baseUrl: draft.provider === 'compatible' ? draft.baseUrl.trim() : null,
        model: draft.model.trim() || settings.model,
        api: draft.provider === 'openai' ? draft.api : 'chat',
        embeddingModel: draft.embeddingModel.trim() || null,
        timeoutSeconds: Number(draft.timeoutSeconds),
      });
      onSaved(view);
      toast(view.configured ? `Saved: drafts now come from ${view.model}.` : draft.provider === 'openai' && !view.keySet ? 'Saved. Add an OpenAI key below to use the model.' : 'Saved: drafts come from the rules and templates.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="cps-form" onSubmit={save} aria-label="Copilot model" noValidate>
      <fieldset className="cps-providers">
        <legend>Who drafts the replies</legend>
        {(
          [
            ['none', 'No model: rules and templates', 'Works offline; drafts are filled from the customer’s data.'],
            ['openai', 'OpenAI', 'Needs an API key. Only this customer’s data is sent.'],
            ['compatible', 'OpenAI-compatible server', 'Ollama, LM Studio or vLLM on your machine or network: billing data stays there.'],
          ] as const
        ).map(([value, label, hint]) => (
          <label key={value} className="cps-radio">
            <input type="radio" name={`${id}-provider`} value={value} checked={draft.provider === value} onChange={() => change({ provider: value })} />
            <span>
              <strong>{label}</strong> <span className="muted">{hint}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {draft.provider === 'compatible' && (
        <div className="cps-field">
          <label htmlFor={`${id}-url`}>Base URL</label>
          <input id={`${id}-url`} type="url" value={draft.baseUrl} onChange={(e) => change({ baseUrl: e.target.value })} placeholder="http://127.0.0.1:11434/v1" spellCheck={false} data-testid="copilot-base-url" />
          <span className="cps-presets">
            {LOCAL_SERVERS.map((s) => (
              <button key={s.name} type="button" onClick={() => change({ baseUrl: s.url, model: !draft.model.trim() || OPENAI_MODELS.includes(draft.model) ? s.model : draft.model })}>
                {s.name}
              </button>
            ))}
          </span>
        </div>
      )}

      {draft.provider !== 'none' && (
        <>
          <div className="cps-field">
            <label htmlFor={`${id}-model`}>Model</label>
            <input id={`${id}-model`} list={`${id}-models`} value={draft.model} onChange={(e) => change({ model: e.target.value })} spellCheck={false} data-testid="copilot-model" />
            <datalist id={`${id}-models`}>
              {(draft.provider === 'openai' ? OPENAI_MODELS : LOCAL_SERVERS.map((s) => s.model)).map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </div>
          {draft.provider === 'openai' && (
            <div className="cps-field">
              <label htmlFor={`${id}-api`}>API</label>
              <select id={`${id}-api`} value={draft.api} onChange={(e) => change({ api: e.target.value as CopilotApi })}>
                <option value="chat">Chat Completions</option>
                <option value="responses">Responses</option>
              </select>
            </div>
          )}
          <div className="cps-field">
            <label htmlFor={`${id}-embed`}>Embedding model (optional)</label>
            <input id={`${id}-embed`} value={draft.embeddingModel} onChange={(e) => change({ embeddingModel: e.target.value })} placeholder="e.g. text-embedding-3-small or nomic-embed-text" spellCheck={false} />
          </div>
          <div className="cps-field">
            <label htmlFor={`${id}-timeout`}>Timeout (seconds)</label>
            <input id={`${id}-timeout`} type="number" min={5} max={600} step={1} value={draft.timeoutSeconds} onChange={(e) => change({ timeoutSeconds: e.target.value })} className="cps-narrow" />
          </div>
        </>
      )}

      {error && (
        <p className="cps-error" role="alert" data-testid="copilot-settings-error">
          {error}
        </p>
      )}
      <div className="cps-row">
        <button type="submit" className="primary" disabled={saving || !!refusal} title={refusal ?? undefined}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
