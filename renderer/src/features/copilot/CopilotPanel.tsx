import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../app/store';
import { EmptyState, ErrorState } from '../../ui/states';
import { CustomerChat } from './CustomerChat';
import { answeringPath, useCopilotSettings } from './settings-store';
import './copilot.css';

// The copilot beside the customer view (Ctrl/Cmd+J): drafts replies for the customer on screen,
// grounded in their billing data, with actions a person confirms. It says which path answers: a
// model, or the rules and templates when none is configured.

export function CopilotPanel() {
  const customerId = useApp((s) => s.customerId);
  const toggle = useApp((s) => s.toggleCopilot);
  const { settings, error, load } = useCopilotSettings();

  // Closing the panel (Ctrl+J, ×) gives focus back to where the agent was when it opened, instead
  // of dropping it on the page.
  // (Read while rendering: the composer takes focus in its own effect, which runs before this one's.)
  const panelRef = useRef<HTMLElement>(null);
  const [before] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    const panel = panelRef.current;
    return () => {
      const active = document.activeElement;
      const lost = !active || active === document.body || !!panel?.contains(active);
      if (lost && before?.isConnected && !panel?.contains(before)) before.focus();
    };
  }, [before]);

  return (
    <aside ref={panelRef} className="copilot-panel cp-panel" aria-labelledby="cp-title" data-testid="copilot-panel">
      <header className="cp-head">
        <h2 id="cp-title">Copilot</h2>
        {settings && (
          <span className={`badge ${settings.configured ? 'info' : ''}`} title={`${answeringPath(settings)}. Change it in Settings › Copilot.`} data-testid="copilot-path">
            {settings.configured ? `${settings.team ? 'Team model' : 'Model'}: ${settings.model}` : 'Rules · no model'}
          </span>
        )}
        <span className="spacer" />
        <button type="button" className="icon-button" onClick={toggle} aria-label="Close the copilot" title="Close (Ctrl+J)">
          ×
        </button>
      </header>
      {error && <ErrorState message={`Could not read the copilot settings: ${error}`} onRetry={load} />}
      {customerId ? (
        <CustomerChat key={customerId} customerId={customerId} />
      ) : (
        <EmptyState
          title="Open a customer to draft a reply"
          hint={
            <>
              Press <kbd>Ctrl</kbd>+<kbd>K</kbd> and search by name, email or invoice number. The copilot answers for the customer on screen, from their billing data.
            </>
          }
        />
      )}
    </aside>
  );
}
