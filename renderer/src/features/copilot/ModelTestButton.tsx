import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';

// One short request to the configured model, so a wrong URL, key or model name shows up here in
// words rather than in the middle of a customer conversation.

export function ModelTestButton({ disabled }: { disabled: boolean }) {
  const [state, setState] = useState<{ kind: 'idle' | 'testing' } | { kind: 'ok' | 'error'; text: string }>({ kind: 'idle' });
  const testModel = useCallMutation('copilot.settings.test');
  const test = async () => {
    setState({ kind: 'testing' });
    try {
      const r = await testModel.mutateAsync({});
      setState({ kind: 'ok', text: `${r.model} answered in ${(r.latencyMs / 1000).toFixed(1)} s.` });
    } catch (err) {
      setState({ kind: 'error', text: errorMessage(err) });
    }
  };
  return (
    <div className="cps-row">
      <button type="button" onClick={test} disabled={disabled || state.kind === 'testing'} title={disabled ? 'Choose a provider and model first' : undefined}>
        {state.kind === 'testing' ? 'Testing…' : 'Test the model'}
      </button>
      {state.kind === 'ok' && (
        <span className="cps-ok" role="status">
          {state.text}
        </span>
      )}
      {state.kind === 'error' && (
        <span className="cps-error" role="alert">
          {state.text}
        </span>
      )}
    </div>
  );
}
