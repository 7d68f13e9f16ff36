import { useState } from 'react';
import { useApp } from '../../app/store';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';
import { useWorkspace } from '../../app/workspace';

export function AppearanceSection() {
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const workspace = useWorkspace();
  const setAgentName = useCallMutation('workspace.setAgentName', { invalidates: ['workspace.status'] });
  const toast = useApp((s) => s.showToast);
  const [name, setName] = useState(workspace?.agentName ?? '');
  const saveName = async () => {
    try {
      await setAgentName.mutateAsync({ name });
      toast('Name saved: it is recorded in the audit log for your actions.');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <section className="section" aria-labelledby="appearance-h">
      <h2 id="appearance-h">You and the look</h2>
      <label>
        Your name (shown in audit rows){' '}
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
      </label>{' '}
      <button type="button" onClick={saveName} disabled={!name.trim()}>
        Save
      </button>
      <p>
        Theme:{' '}
        <button type="button" aria-pressed={theme === 'light'} onClick={() => setTheme('light')}>
          Light
        </button>{' '}
        <button type="button" aria-pressed={theme === 'dark'} onClick={() => setTheme('dark')}>
          Dark
        </button>
      </p>
    </section>
  );
}
