import type { CopilotActionType, CopilotEntities, CopilotIntent } from '../../../../shared/contract/copilot';
import { formatMoney } from '../../../../shared/domain/money';

// Words for the copilot's typed understanding.

export const INTENT_LABELS: Record<CopilotIntent, string> = {
  invoice_explanation: 'Explain a charge',
  payment_failed: 'Payment failed',
  update_payment_method: 'Update payment method',
  cancel_subscription: 'Cancel subscription',
  change_plan: 'Change plan',
  refund_request: 'Refund request',
  pause_subscription: 'Pause subscription',
  billing_details_update: 'Billing details',
  other: 'Other',
};

export const ACTION_KIND: Record<CopilotActionType, string> = {
  explain_invoice: 'Invoice',
  send_portal_link: 'Portal link',
  retry_payment: 'Retry payment',
  cancel_subscription: 'Cancellation',
  pause_subscription: 'Pause',
  escalate_refund: 'Refund escalation',
  none: 'Note',
};

/** "amount $50.00 · date 2025-06-14 · invoice ACME-0042" for the understanding line. */
export function entityChips(e: CopilotEntities): string[] {
  const out: string[] = [];
  if (e.amount != null) out.push(`amount ${formatMoney(e.amount, e.currency ?? 'usd')}`);
  else if (e.currency) out.push(`currency ${e.currency.toUpperCase()}`);
  if (e.date) out.push(`date ${e.date}`);
  if (e.invoiceNumber) out.push(`invoice ${e.invoiceNumber}`);
  if (e.plan) out.push(`plan ${e.plan}`);
  return out;
}

/** A draft without its citation markers: what the customer should read. */
export function stripCitations(text: string): string {
  return text
    .replace(/\s?\[(?:kb:[a-z0-9-]+|[a-z]{2,7}_[A-Za-z0-9]+)(?:,\s*(?:kb:[a-z0-9-]+|[a-z]{2,7}_[A-Za-z0-9]+))*\]/g, '')
    .replace(/[ \t]+([.,;:!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ');
}
