import { Fragment } from 'react';
import type { CopilotCitation } from '../../../../shared/contract/copilot';
import { CitationChip } from './CitationChip';

// A draft as the agent reads it: the text with each [ref] turned into a source chip. Refs outside
// the catalog were already removed by the services' output guard; one that still is not known
// here is shown as plain text rather than as a link to nothing.

const REF = /\[((?:kb:[a-z0-9-]+|[a-z]{2,7}_[A-Za-z0-9]+)(?:,\s*(?:kb:[a-z0-9-]+|[a-z]{2,7}_[A-Za-z0-9]+))*)\]/g;

export function DraftText({ text, catalog }: { text: string; catalog: Map<string, CopilotCitation> }) {
  const pieces: Array<string | CopilotCitation[]> = [];
  let last = 0;
  for (const m of text.matchAll(REF)) {
    pieces.push(text.slice(last, m.index));
    const cites = m[1]!.split(/,\s*/).map((r) => catalog.get(r) ?? { ref: r, kind: r.startsWith('kb:') ? 'kb' : 'invoice', label: r });
    pieces.push(cites as CopilotCitation[]);
    last = m.index! + m[0].length;
  }
  pieces.push(text.slice(last));
  return (
    <div className="cp-draft-text">
      {pieces.map((p, i) =>
        typeof p === 'string' ? (
          <Fragment key={i}>{p}</Fragment>
        ) : (
          <span key={i} className="cp-cites">
            {p.map((c) => (
              <CitationChip key={c.ref} citation={c} />
            ))}
          </span>
        ),
      )}
    </div>
  );
}
