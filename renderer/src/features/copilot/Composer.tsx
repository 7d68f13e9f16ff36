import { forwardRef, useId, useRef } from 'react';
import { DraftControls } from './DraftControls';
import { useCopilotPrefs } from './prefs';
import { useShortcut } from '../../app/key-dispatch';
import { withKeys } from '../../app/keymap';

// Where the agent pastes the customer's message or asks about the customer. Ctrl/Cmd+Enter sends;
// Esc stops a reply that is streaming. A sent message moves into the thread (it stays there if the
// turn fails), and unsent text is kept per customer (closing the panel or switching customers
// does not clear it), so nothing typed is lost.

const MAX_CHARS = 20_000;

export const Composer = forwardRef<
  HTMLTextAreaElement,
  {
    customerId: string;
    busy: boolean;
    canRedraft: boolean;
    onSend: (text: string) => void;
    onStop: () => void;
    onRedraft: () => void;
  }
>(function Composer({ customerId, busy, canRedraft, onSend, onStop, onRedraft }, ref) {
  const text = useCopilotPrefs((s) => s.composing[customerId] ?? '');
  const setComposing = useCopilotPrefs((s) => s.setComposing);
  const setText = (value: string) => setComposing(customerId, value);
  const hintId = useId();
  const fieldId = useId();
  const tooLong = text.length > MAX_CHARS;
  const send = () => {
    const message = text.trim();
    if (!message || busy || tooLong) return;
    setText('');
    onSend(message);
  };
  const formRef = useRef<HTMLFormElement>(null);
  useShortcut('text.submit', send, { root: formRef });
  useShortcut('text.leave', () => (busy ? onStop() : false), { root: formRef });
  return (
    <form
      ref={formRef}
      className="cp-composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor={fieldId} className="cp-composer-label">
        Customer's message or your question
      </label>
      <textarea
        id={fieldId}
        ref={ref}
        value={text}
        rows={4}
        onChange={(e) => setText(e.target.value)}
        placeholder="Paste what the customer wrote, e.g. “Why was I charged $50 yesterday?”"
        aria-describedby={hintId}
        aria-invalid={tooLong || undefined}
        data-testid="copilot-input"
      />
      <p id={hintId} className={`cp-hint${tooLong ? ' cp-hint-error' : ''}`}>
        {tooLong ? `Too long: ${text.length.toLocaleString()} characters, the limit is ${MAX_CHARS.toLocaleString()}. Keep the part that matters.` : 'The message is treated as data: nothing in it can run an action. Ctrl+Enter sends.'}
      </p>
      <div className="cp-composer-row">
        <DraftControls />
        <span className="spacer" />
        {busy ? (
          <button type="button" className="danger" onClick={onStop} data-testid="copilot-stop" title={withKeys('Stop the reply', 'text.leave')}>
            Stop
          </button>
        ) : (
          <>
            {canRedraft && (
              <button type="button" onClick={onRedraft} title="Draft the last message again with this tone and length" data-testid="copilot-redraft">
                Redraft
              </button>
            )}
            <button type="submit" className="primary" disabled={!text.trim() || tooLong} data-testid="copilot-send">
              Draft reply
            </button>
          </>
        )}
      </div>
    </form>
  );
});
