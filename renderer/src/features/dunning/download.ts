/**
 * Saves text as a file through a temporary blob link (works in the app window and the browser).
 * A CSV starts with a byte-order mark: without it Excel reads the file in the system's legacy code
 * page and customer names in Japanese, Greek or Arabic come out as mojibake.
 */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const bom = type.startsWith('text/csv') && !text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const url = URL.createObjectURL(new Blob([bom, text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled: revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
