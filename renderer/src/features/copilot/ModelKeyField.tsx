import { useId, useRef, useState } from 'react';
import type { CopilotSettingsView } from '../../../../shared/contract/copilot';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';
import { useApp } from '../../app/store';
import { useKeysOnServer } from '../team/role';

// The model key. The field is uncontrolled (the key is never React state nor a DOM attribute) and
// is emptied as soon as it is sent; the services store it (OS keychain in the app) and only ever
// answer with its last four characters.

export function ModelKeyField({ settings, onSaved }: { settings: CopilotSettingsView; onSaved: (v: CopilotSettingsView) => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [filled, setFilled] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useApp((s) => s.showToast);
  const id = useId();
  const onServer = useKeysOnServer();

  const setKey = useCallMutation('copilot.settings.setKey', { invalidates: ['copilot.settings.get'] });
  const clearKey = useCallMutation('copilot.settings.clearKey', { invalidates: ['copilot.settings.get'] });
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = field.current;
    const key = input?.value.trim() ?? '';
    if (!input || !key || busy) return;
    if (/\s/.test(key)) return setError('A key has no spaces in it. Copy it again from your provider.');
    input.value = '';
    setFilled(false);
    setBusy(true);
    setError(null);
    try {
      const view = await setKey.mutateAsync({ key });
      onSaved(view);
      toast(`Key ending in ${view.keyHint} saved${view.keyPersistent ? ' in your system keychain' : ' for this session'}.`);
    } catch (err) {
      setError(`${errorMessage(err)} Nothing was saved.`);
    } finally {
      setBusy(false);
    }
  };
  const clear = async () => {
    setBusy(true);
    try {
      onSaved(await clearKey.mutateAsync({}));
      toast('Model key removed.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="cps-form" onSubmit={save} aria-label="Model API key" noValidate>
      <label htmlFor={id}>API key{settings.provider === 'compatible' ? ' (only if your server asks for one)' : ''}</label>
      <div className="cps-row">
        <input
          id={id}
          ref={field}
          type="password"
          name="copilot-api-key"
          defaultValue=""
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          placeholder={settings.keySet ? `Stored key ends in ${settings.keyHint}. Paste a new one to replace it.` : 'sk-…'}
          onChange={(e) => {
            setFilled(e.target.value.trim().length > 0);
            setError(null);
          }}
          disabled={busy || !!onServer}
          title={onServer ?? undefined}
          className="cps-key"
          data-testid="copilot-key-input"
        />
        <button type="submit" className="primary" disabled={!filled || busy || !!onServer} title={onServer ?? undefined}>
          Save key
        </button>
        {settings.keySet && (
          <button type="button" className="danger" onClick={clear} disabled={busy}>
            Remove key
          </button>
        )}
      </div>
      <p className="cps-hint" data-testid="copilot-key-status">
        {settings.keySet
          ? `A key ending in ${settings.keyHint} is stored${settings.keyPersistent ? ' in your system keychain' : ' for this session only (the web harness and the CLI keep keys in memory)'} for ${settings.keyOrigin ?? 'this server'}, and is only sent there. It is never shown again.`
          : 'No key stored. The key is kept by the app’s main side and never shown again.'}
      </p>
      {settings.problem && (
        <p className="cps-error" role="status" data-testid="copilot-key-problem">
          {settings.problem}
        </p>
      )}
      {error && (
        <p className="cps-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
