// Placeholder until the feature lands.
export function CopilotSettingsSection() {
  return null;
}
