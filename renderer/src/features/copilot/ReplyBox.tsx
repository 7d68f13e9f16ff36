import { useId } from 'react';
import { useApp } from '../../app/store';
import { copyText } from '../../ui/clipboard';
import { useCopilotPrefs } from './prefs';

// The reply the agent is writing to the customer: drafts and links are inserted here, edited, then
// copied into the help desk. It is kept per customer while the app runs.

export function ReplyBox({ customerId, customerName }: { customerId: string; customerName: string }) {
  const reply = useCopilotPrefs((s) => s.replies[customerId] ?? '');
  const setReply = useCopilotPrefs((s) => s.setReply);
  const toast = useApp((s) => s.showToast);
  const id = useId();
  if (!reply) return null;
  const copy = async () => {
    try {
      await copyText(reply);
      toast('Reply copied: paste it into your help desk.');
    } catch (err) {
      toast(`Could not copy the reply: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  };
  return (
    <div className="cp-replybox">
      <label htmlFor={id}>Reply to {customerName}</label>
      <textarea id={id} value={reply} rows={5} onChange={(e) => setReply(customerId, e.target.value)} data-testid="copilot-reply-box" />
      <div className="cp-composer-row">
        <button type="button" className="primary" onClick={copy} data-testid="copilot-copy-reply">
          Copy reply
        </button>
        <button type="button" onClick={() => setReply(customerId, '')}>
          Clear
        </button>
      </div>
    </div>
  );
}
