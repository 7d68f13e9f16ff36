import { useId, useState } from 'react';
import type { KbStatus } from '../../../../shared/contract/copilot';
import { errorMessage } from '../../api/client';
import { useCall, useCallMutation } from '../../api/queries';
import { Loading } from '../../ui/states';

// The knowledge base the drafts cite: what is imported (the sample billing KB ships with the app
// and is imported on first start), and importing a folder of Markdown articles from this computer.
// A team desk's articles are the team's: they come with the team feed, an admin imports them on
// the team server, so the desk shows what it has and offers no import.

type ImportResult = { documents: number; chunks: number; unchanged: number; embedded: number; problems: string[] };

export function KnowledgeBaseSection({ team = false }: { team?: boolean }) {
  const kb = useCall('kb.status', {});
  const status: KbStatus | null = kb.data ?? null;
  const statusError = kb.error ? errorMessage(kb.error) : null;
  const load = () => void kb.refetch();
  const importKb = useCallMutation('kb.import', { invalidates: ['kb.status', 'kb.get'] });
  const [folder, setFolder] = useState('');
  const [importing, setImporting] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const id = useId();


  const importFolder = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!folder.trim() || importing) return;
    setImporting(true);
    setImportError(null);
    setResult(null);
    try {
      setResult(await importKb.mutateAsync({ folder: folder.trim() }));
    } catch (err) {
      // The path stays in the field so it can be corrected.
      setImportError(errorMessage(err));
    } finally {
      setImporting(false);
    }
  };

  return (
    <div className="cps-kb" data-testid="copilot-kb">
      <h3>Knowledge base</h3>
      {statusError ? (
        <p className="cps-error" role="alert">
          Could not read the knowledge base: {statusError}{' '}
          <button type="button" onClick={load}>
            Try again
          </button>
        </p>
      ) : !status ? (
        <Loading label="Reading the knowledge base…" />
      ) : team ? (
        <p data-testid="copilot-kb-status">
          {status.documents === 0 ? "The team's knowledge base is empty: drafts cite only the customer's data." : `${status.documents} ${status.documents === 1 ? 'article' : 'articles'} of the team's knowledge base, in ${status.chunks} ${status.chunks === 1 ? 'section' : 'sections'} (searched by keywords on this desk).`} A team admin imports articles on the team server; they reach every desk.
        </p>
      ) : status.documents === 0 ? (
        <p className="muted" data-testid="copilot-kb-status">
          No articles yet: drafts cite only the customer's data. Import a folder of Markdown articles below; the sample billing KB (refunds, retries, cancellation, invoices, taxes) is imported automatically on first start.
        </p>
      ) : (
        <p data-testid="copilot-kb-status">
          {status.documents} articles in {status.chunks} sections. Search: keywords{status.vectorSearch ? ` and meaning (${status.embedded} of ${status.chunks} sections embedded)` : ' only (set an embedding model above to add search by meaning)'}.
        </p>
      )}
      {!team && (
        <form className="cps-form" onSubmit={importFolder} aria-label="Import articles" noValidate>
          <label htmlFor={id}>Import a folder of Markdown articles</label>
          <div className="cps-row">
            <input id={id} value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/home/me/help-center/billing" spellCheck={false} className="cps-path" disabled={importing} />
            <button type="submit" disabled={!folder.trim() || importing}>
              {importing ? 'Importing…' : 'Import'}
            </button>
          </div>
          <p className="cps-hint">Each .md file becomes an article, split at its headings. Importing again updates changed articles only.</p>
          {importing && <Loading label="Importing and indexing the articles…" />}
          {importError && (
            <p className="cps-error" role="alert">
              {importError}
            </p>
          )}
          {result && (
            <div role="status" className="cps-ok">
              <p>
                Imported {result.documents} articles ({result.chunks} sections, {result.unchanged} unchanged{result.embedded ? `, ${result.embedded} embedded` : ''}).
              </p>
              {result.problems.length > 0 && (
                <ul className="cps-problems">
                  {result.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </form>
      )}
    </div>
  );
}
