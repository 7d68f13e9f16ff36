// Placeholder until the feature lands.
export function StripeKeySection() {
  return null;
}
