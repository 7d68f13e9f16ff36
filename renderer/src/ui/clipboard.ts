/**
 * Copies text to the system clipboard: through the Electron main side when the preload offers it
 * (the renderer's clipboard API needs a focused document), else the browser's clipboard API.
 */
export async function copyText(text: string): Promise<void> {
  if (window.billing?.copyText) return window.billing.copyText(text);
  return navigator.clipboard.writeText(text);
}
