// Filled in by the portal feature.
export const portalCalls = {};
