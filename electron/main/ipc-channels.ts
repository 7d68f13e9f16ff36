// The three IPC channels between the preload and the main side. Both sides import these names;
// nothing else crosses the boundary.

/** invoke(name, input) → CallResult: one contract call, validated and dispatched by the handler table. */
export const IPC_CALL = 'bsc:call';
/** main → renderer: (channel, payload) for every stream message, redacted. */
export const IPC_STREAM = 'bsc:stream';
/** invoke(text): writes text to the system clipboard. */
export const IPC_COPY = 'bsc:copy';

/** Largest text the renderer may put on the clipboard through the main side, in UTF-8 bytes. */
export const MAX_COPY_BYTES = 100 * 1024;

/** The text to copy, or null when it is not a string or is too large. */
export function validateCopyText(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  // Cheap bound first (a UTF-8 char is at most 3 bytes per UTF-16 unit), exact count after.
  if (input.length > MAX_COPY_BYTES) return null;
  return new TextEncoder().encode(input).length <= MAX_COPY_BYTES ? input : null;
}
