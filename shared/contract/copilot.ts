// Filled in by the copilot feature.
export const copilotCalls = {};
