import { StripeKeySection } from './StripeKeySection';
import { AppearanceSection } from './AppearanceSection';
import { TeamSection } from './TeamSection';
import { PortalSettingsSection } from '../portal/PortalSettingsSection';
import { CopilotSettingsSection } from '../copilot/CopilotSettingsSection';
import { SyncSettingsSection } from '../sync/SyncSettingsSection';

/** Settings: one section per concern, each owned by its feature. */
export function SettingsView() {
  return (
    <div className="settings">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <TeamSection />
      <StripeKeySection />
      <SyncSettingsSection />
      <PortalSettingsSection />
      <CopilotSettingsSection />
      <AppearanceSection />
    </div>
  );
}
