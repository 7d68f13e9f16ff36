import type { CopilotSettingsView } from '../../../../shared/contract/copilot';
import { ErrorState, Loading } from '../../ui/states';
import { KnowledgeBaseSection } from './KnowledgeBaseSection';
import { ModelKeyField } from './ModelKeyField';
import { ModelSettingsForm } from './ModelSettingsForm';
import { ModelTestButton } from './ModelTestButton';
import { answeringPath, updateCopilotSettings, useCopilotSettings } from './settings-store';
import './copilot-settings.css';

/** Settings › Copilot: which model drafts the replies (or none), its key, and the knowledge base. */
export function CopilotSettingsSection() {
  const { settings, error, load } = useCopilotSettings();

  return (
    <section className="section cps" aria-labelledby="copilot-settings-h">
      <h2 id="copilot-settings-h">Copilot</h2>
      {error && !settings ? (
        <ErrorState message={`Could not read the copilot settings: ${error}`} onRetry={load} />
      ) : !settings ? (
        <Loading label="Reading the copilot settings…" />
      ) : (
        <>
          <p className="cps-current" data-testid="copilot-settings-path">
            Drafts now come from: <strong>{answeringPath(settings)}</strong>
          </p>
          {settings.team ? <TeamModelNote settings={settings} /> : <OwnModelSettings settings={settings} />}
        </>
      )}
      <KnowledgeBaseSection team={settings?.team != null} />
    </section>
  );
}

/** A team desk: the model is the team's, set by an admin on the team server; no form, no key. */
function TeamModelNote({ settings }: { settings: CopilotSettingsView }) {
  return (
    <>
      <p className="cps-hint" data-testid="copilot-team-model">
        This desk is on a team: the copilot uses <strong>the team&apos;s model (set by an admin)</strong>
        {settings.team?.model ? <> — <code>{settings.team.model}</code></> : null}, reached through the team server at <code>{settings.team?.server}</code>. It
        holds no model key; the team server uses the team&apos;s key and counts your usage.
      </p>
      {settings.problem && (
        <p className="cps-hint" role="status">
          {settings.problem}
        </p>
      )}
      <ModelTestButton disabled={!settings.configured} />
    </>
  );
}

/** A solo desk: its own provider, model and key. */
function OwnModelSettings({ settings }: { settings: CopilotSettingsView }) {
  const update = updateCopilotSettings;
  return (
    <>
      {settings.envOverrides.length > 0 && (
        <p className="cps-hint">
          Set by the environment (they win over what is saved here): {settings.envOverrides.map((v) => <code key={v}>{v} </code>)}
        </p>
      )}
      <ModelSettingsForm settings={settings} onSaved={update} />
      {settings.provider !== 'none' && (
        <>
          <ModelKeyField settings={settings} onSaved={update} />
          <ModelTestButton disabled={!settings.configured} />
        </>
      )}
    </>
  );
}
