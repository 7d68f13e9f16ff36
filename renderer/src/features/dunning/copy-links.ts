import { copyText } from '../../ui/clipboard';

/** Copies portal links, one per line, to the clipboard; false when the clipboard is not available. */
export async function copyLinks(urls: string[]): Promise<boolean> {
  try {
    await copyText(urls.join('\n'));
    return true;
  } catch {
    return false;
  }
}
