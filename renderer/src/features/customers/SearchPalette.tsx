

// Placeholder until the feature lands.
export function SearchPalette() {
  return null;
}
