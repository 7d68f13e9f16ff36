// Placeholder until the feature lands.
export function PortalSettingsSection() {
  return null;
}
