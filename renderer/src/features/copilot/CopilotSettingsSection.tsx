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
  const update = updateCopilotSettings;

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
      )}
      <KnowledgeBaseSection />
    </section>
  );
}
