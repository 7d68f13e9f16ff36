import type { CopilotAction, CopilotCitation, CopilotDataParts } from '../../../../shared/contract/copilot';
import { useApp } from '../../app/store';
import { copyText } from '../../ui/clipboard';
import type { CopilotUIMessage } from '../../api/copilot-chat-transport';
import { DraftText } from './DraftText';
import { entityChips, INTENT_LABELS, stripCitations } from './labels';
import { ProposalCard } from './ProposalCard';
import { ToolResult, type ToolPart } from './ToolResult';

// One copilot reply: the notice (no model, budget), the understanding, the proposed actions, the
// model's lookups and the draft with its sources — in the order they streamed.

type Part = CopilotUIMessage['parts'][number];

export function catalogOf(message: CopilotUIMessage): Map<string, CopilotCitation> {
  const cat = new Map<string, CopilotCitation>();
  for (const p of message.parts) if (p.type === 'data-citations') for (const c of p.data as CopilotCitation[]) cat.set(c.ref, c);
  return cat;
}

export function draftOf(message: CopilotUIMessage): string {
  return message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export function AssistantMessage({
  message,
  customerId,
  customerName,
  streaming,
  onInsert,
}: {
  message: CopilotUIMessage;
  customerId: string;
  customerName: string;
  streaming: boolean;
  onInsert: (text: string) => void;
}) {
  const toast = useApp((s) => s.showToast);
  const catalog = catalogOf(message);
  const draft = draftOf(message);
  const copy = async () => {
    try {
      await copyText(stripCitations(draft));
      toast('Draft copied (without the source markers).');
    } catch {
      toast('Could not copy to the clipboard.', 'error');
    }
  };
  const textShown = new Set<number>();
  return (
    <div className="cp-reply" data-testid="copilot-reply">
      {message.parts.map((p: Part, i) => {
        switch (p.type) {
          case 'data-notice': {
            const n = p.data as CopilotDataParts['notice'];
            return (
              <p key={i} className={`cp-notice cp-notice-${n.kind}`} data-testid={`copilot-notice-${n.kind}`}>
                {n.text}
              </p>
            );
          }
          case 'data-understanding': {
            const u = p.data as CopilotDataParts['understanding'];
            return (
              <div key={i} className="cp-understanding" aria-label="What the message is about">
                <span className="badge info">{INTENT_LABELS[u.intent]}</span>
                {entityChips(u.entities).map((c) => (
                  <span key={c} className="badge">
                    {c}
                  </span>
                ))}
                <span className="cp-by" data-testid="copilot-answered-by">
                  {u.mode === 'model' ? `Answered by the model ${u.model ?? ''}` : 'Answered by the rules and templates'}
                </span>
              </div>
            );
          }
          case 'data-proposal':
            return <ProposalCard key={i} action={p.data as CopilotAction} customerId={customerId} customerName={customerName} catalog={catalog} onInsert={onInsert} />;
          case 'text': {
            textShown.add(i);
            return <DraftText key={i} text={p.text} catalog={catalog} />;
          }
          default:
            if (p.type.startsWith('tool-')) return <ToolResult key={i} part={p as unknown as ToolPart} customerId={customerId} customerName={customerName} catalog={catalog} onInsert={onInsert} />;
            return null;
        }
      })}
      {draft && !streaming && (
        <div className="cp-draft-actions">
          <button type="button" onClick={copy} data-testid="copilot-copy">
            Copy draft
          </button>
          <button type="button" onClick={() => onInsert(stripCitations(draft))} data-testid="copilot-insert">
            Insert into reply
          </button>
        </div>
      )}
    </div>
  );
}
