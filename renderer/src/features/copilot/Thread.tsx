import { useEffect, useRef } from 'react';
import { AssistantMessage } from './AssistantMessage';
import type { CopilotUIMessage } from '../../api/copilot-chat-transport';

// The conversation with one customer's copilot: what the agent pasted or asked, and each reply
// (understanding, proposed actions, lookups, the draft). It follows a streaming draft down unless
// the agent scrolled up to read something.

const EXAMPLES = ['Why was I charged $50 yesterday?', 'My card keeps failing, what do I do?', 'I want to cancel my subscription.'];

export function Thread({
  messages,
  streaming,
  customerId,
  customerName,
  onInsert,
  onExample,
}: {
  messages: CopilotUIMessage[];
  streaming: boolean;
  customerId: string;
  customerName: string;
  onInsert: (text: string) => void;
  onExample: (text: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  if (messages.length === 0) {
    return (
      <div className="cp-thread cp-thread-empty">
        <p className="empty-title">Draft a reply to {customerName}</p>
        <p className="muted">Paste what the customer wrote below. The copilot reads this customer's billing data and the knowledge base, proposes actions for you to confirm, and drafts a reply citing its sources.</p>
        <p className="muted">Try:</p>
        <ul className="cp-examples">
          {EXAMPLES.map((x) => (
            <li key={x}>
              <button type="button" onClick={() => onExample(x)}>
                {x}
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const last = messages[messages.length - 1];
  return (
    <div
      ref={box}
      className="cp-thread"
      role="log"
      aria-label="Copilot conversation"
      aria-busy={streaming}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {messages.map((m) =>
        m.role === 'user' ? (
          <div key={m.id} className="cp-user" data-testid="copilot-user-message">
            <span className="cp-who">You pasted</span>
            <blockquote>{m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')}</blockquote>
          </div>
        ) : (
          <AssistantMessage key={m.id} message={m} customerId={customerId} customerName={customerName} streaming={streaming && m === last} onInsert={onInsert} />
        ),
      )}
      {streaming && last?.role === 'user' && (
        <p className="cp-waiting muted" role="status">
          <span className="spinner" aria-hidden="true" /> Reading {customerName}'s billing data…
        </p>
      )}
    </div>
  );
}
