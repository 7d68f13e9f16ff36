import { useEffect, useRef } from 'react';
import type { CopilotAction } from '../../../../shared/contract/copilot';
import type { Customer360, InvoiceView, SubscriptionView } from '../../../../shared/contract/customers';
import type { WorkspaceMode } from '../../../../shared/contract';
import { useWorkspace } from '../../app/workspace';
import { Money } from '../../ui/format';
import { Modal } from '../../ui/Modal';
import { useCustomer360 } from '../customers/queries';

// The last look before the copilot's proposal writes to Stripe: in which mode (a live charge is
// real money), on which subscription, for how much, and why — the model's words marked as the
// model's. Cancel has focus: Enter pressed out of habit does nothing irreversible.

const CONFIRM_WORDS: Partial<Record<CopilotAction['type'], (customer: string) => string>> = {
  send_portal_link: (c) => `Create a Stripe Customer Portal link for ${c}? You send it to the customer yourself; it expires soon after it is opened.`,
  retry_payment: (c) => `Charge ${c}'s default payment method for the open invoice now?`,
  cancel_subscription: (c) => `Set ${c}'s subscription to cancel at the end of the current period?`,
  pause_subscription: (c) => `Pause collection on ${c}'s subscription? Invoices are voided until it is resumed.`,
  escalate_refund: (c) => `Escalate a refund request for ${c} to the billing team (adds a note)?`,
};

const MODE_WORDS: Record<WorkspaceMode, string> = {
  live: 'LIVE MODE: this acts on a real customer and real money.',
  test: 'Test mode: Stripe test data, no real money moves.',
  demo: 'Demo workspace: the action is simulated, nothing reaches Stripe.',
};

/** What the action touches, looked up in the cached customer: the invoice and the subscription. */
function targets(action: CopilotAction, customer: Customer360 | undefined): { invoice: InvoiceView | null; subscription: SubscriptionView | null } {
  const invoice = customer?.invoices.find((i) => i.id === action.args.invoiceId) ?? null;
  const subscriptionId = action.args.subscriptionId ?? invoice?.subscriptionId ?? null;
  const subscription = customer?.subscriptions.find((s) => s.id === subscriptionId) ?? null;
  return { invoice, subscription };
}

function describeSubscription(s: SubscriptionView): string {
  const products = s.items.map((i) => i.productName ?? i.priceNickname).filter(Boolean).join(', ');
  return `${products || 'Subscription'} · ${s.status.replace(/_/g, ' ')}`;
}

export function ConfirmActionDialog({ action, customerId, customerName, onConfirm, onCancel }: { action: CopilotAction; customerId: string; customerName: string; onConfirm: () => void; onCancel: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const mode = useWorkspace()?.mode ?? 'test';
  const customer = useCustomer360(customerId).data;
  const { invoice, subscription } = targets(action, customer);
  const text = (CONFIRM_WORDS[action.type] ?? ((c: string) => `Run this action for ${c}?`))(customerName);
  const fromModel = action.source === 'model';
  return (
    <Modal onClose={onCancel} role="alertdialog" aria-labelledby="cp-confirm-title" aria-describedby="cp-confirm-text">
      <div className={`cp-dialog cp-confirm cp-confirm-${mode}`} data-testid="copilot-confirm-dialog" data-mode={mode}>
        <p className={`cp-confirm-mode cp-confirm-mode-${mode}`} data-testid="copilot-confirm-mode">
          {MODE_WORDS[mode]}
        </p>
        <h3 id="cp-confirm-title">{action.title}</h3>
        <p id="cp-confirm-text">{text}</p>
        <dl className="cp-confirm-facts">
          <dt>Customer</dt>
          <dd>
            {customerName} <code className="muted">{customerId}</code>
          </dd>
          {subscription && (
            <>
              <dt>Subscription</dt>
              <dd data-testid="copilot-confirm-subscription">
                {describeSubscription(subscription)} <code className="muted">{subscription.id}</code>
              </dd>
            </>
          )}
          {invoice ? (
            <>
              <dt>Amount</dt>
              <dd data-testid="copilot-confirm-amount">
                <Money amount={invoice.amountRemaining} currency={invoice.currency} /> due on invoice <code>{invoice.number ?? invoice.id}</code>
              </dd>
            </>
          ) : (
            subscription && (
              <>
                <dt>Amount</dt>
                <dd data-testid="copilot-confirm-amount">
                  <Money amount={subscription.monthlyAmount} currency={subscription.currency} /> a month
                </dd>
              </>
            )
          )}
        </dl>
        <div className={`cp-confirm-reason${fromModel ? ' cp-confirm-reason-model' : ''}`} data-testid="copilot-confirm-reason">
          <span className="cp-confirm-reason-label">{fromModel ? 'Written by the AI model (check it against the data):' : 'Why (a rule over the cached data):'}</span> <q>{action.reason}</q>
        </div>
        <div className="cp-card-actions">
          <button type="button" className="primary" onClick={onConfirm} data-testid="copilot-confirm">
            Confirm{mode === 'live' ? ' in live mode' : ''}
          </button>
          <button ref={cancelRef} type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </Modal>
  );
}
