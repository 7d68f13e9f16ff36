/** Copies portal links, one per line, to the clipboard; false when the clipboard is not available. */
export async function copyLinks(urls: string[]): Promise<boolean> {
  const text = urls.join('\n');
  try {
    if (window.billing?.copyText) await window.billing.copyText(text);
    else await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
