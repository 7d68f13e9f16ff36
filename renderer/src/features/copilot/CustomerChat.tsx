import { useChat } from '@ai-sdk/react';
import { useEffect, useRef, useState } from 'react';
import type { CopilotAction } from '../../../../shared/contract/copilot';
import { chatFor } from './chat-registry';
import type { CopilotUIMessage } from '../../api/copilot-chat-transport';
import { chatProblem } from './chat-errors';
import { Composer } from './Composer';
import { wasActedOn } from './proposal-outcomes';
import { useCopilotPrefs } from './prefs';
import { ReplyBox } from './ReplyBox';
import { Thread } from './Thread';
import { useCustomerName } from './useCustomerName';

// The copilot for the customer on screen: useChat over the app's transport (one conversation per
// customer), the thread, the reply being written and the composer.

/** The proposal ids of one reply's action cards. */
function proposalIdsOf(message: CopilotUIMessage): string[] {
  return message.parts.flatMap((p) => (p.type === 'data-proposal' ? [(p.data as CopilotAction).proposalId ?? ''] : []));
}

export function CustomerChat({ customerId }: { customerId: string }) {
  const { messages, setMessages, sendMessage, stop, regenerate, status, error, clearError } = useChat({ chat: chatFor(customerId) });
  const { name, error: nameError } = useCustomerName(customerId);
  const insertIntoReply = useCopilotPrefs((s) => s.insertIntoReply);
  const [stopped, setStopped] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const busy = status === 'submitted' || status === 'streaming';
  const customerName = name ?? 'this customer';

  // The panel mounts when it is opened: the agent can paste straight away.
  useEffect(() => input.current?.focus(), [customerId]);

  // A turn that fails keeps the agent's message in the thread, so nothing typed is lost.
  const send = (text: string) => {
    setStopped(false);
    clearError();
    void sendMessage({ text });
  };
  const stopNow = () => {
    setStopped(true);
    void stop();
  };
  const redraft = () => {
    setStopped(false);
    clearError();
    // Redrafting replaces the last reply. When the agent already confirmed an action in it (a
    // portal link was made), that record stays in the thread: the message is drafted again as a
    // new turn instead.
    const last = messages[messages.length - 1];
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    if (last?.role === 'assistant' && lastUser && proposalIdsOf(last).some(wasActedOn)) {
      void sendMessage({ text: lastUser.parts.map((p) => (p.type === 'text' ? p.text : '')).join('') });
      return;
    }
    void regenerate();
  };
  const problem = error ? chatProblem(error) : null;
  const lastIsAssistant = messages[messages.length - 1]?.role === 'assistant';

  return (
    <>
      <div className="cp-customer">
        <span className="muted">Drafting for</span> <strong data-testid="copilot-customer">{name ?? customerId}</strong>
        {nameError && <span className="cp-hint-error"> (could not read the customer: {nameError})</span>}
        <span className="spacer" />
        {messages.length > 0 && !busy && !confirmClear && (
          <button type="button" className="icon-button" onClick={() => setConfirmClear(true)} title="Start a new conversation for this customer" data-testid="copilot-new">
            New conversation
          </button>
        )}
        {confirmClear && (
          // The thread holds drafts and the record of confirmed actions: clearing it is asked once.
          <span role="group" aria-label="Clear this conversation?" className="cp-confirm-clear">
            <span>Clear this conversation?</span>{' '}
            <button type="button" autoFocus onClick={() => {
                clearError();
                setStopped(false);
                setMessages([]);
                setConfirmClear(false);
                input.current?.focus();
              }}>
              Clear
            </button>{' '}
            <button type="button" onClick={() => setConfirmClear(false)}>
              Keep
            </button>
          </span>
        )}
      </div>
      <Thread messages={messages} streaming={busy} customerId={customerId} customerName={customerName} onInsert={(t) => insertIntoReply(customerId, t)} onExample={send} />
      {stopped && !busy && (
        <p className="cp-stopped muted" role="status">
          Stopped. What was drafted so far is kept; Redraft starts it again.
        </p>
      )}
      {problem && !busy && (
        <div className="cp-error" role="alert" data-testid="copilot-error">
          <p>{problem.text}</p>
          <p className="muted">{problem.next}</p>
          <button type="button" onClick={redraft}>
            Try again
          </button>
        </div>
      )}
      <ReplyBox customerId={customerId} customerName={customerName} />
      <Composer ref={input} customerId={customerId} busy={busy} canRedraft={lastIsAssistant || !!problem} onSend={send} onStop={stopNow} onRedraft={redraft} />
    </>
  );
}
