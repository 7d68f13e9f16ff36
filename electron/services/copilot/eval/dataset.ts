import type { CopilotActionType, CopilotEntities, CopilotIntent } from '../../../../shared/contract/copilot';
import type { Scenario } from './fixtures';

// The copilot's labelled evaluation set: billing messages as customers write them (typos, several
// sentences, indirect wording), each with the customer state it is asked against (eval/fixtures.ts,
// "now" = 2025-06-15), the intent, the entities and the action types the data supports.
// Entities: amount in integer minor units with its currency, date as YYYY-MM-DD; null = not in the message.

export interface EvalCase {
  id: string;
  /** Written after the rules were tuned on the other cases and never tuned against: the honest figure. */
  heldOut?: boolean;
  scenario: Scenario;
  message: string;
  intent: CopilotIntent;
  entities: Partial<CopilotEntities>;
  /** Action types that must be proposed (the first is the one that should rank first). */
  actions: CopilotActionType[];
}

export const EVAL_CASES: EvalCase[] = [
  // invoice_explanation
  { id: 'inv-01', scenario: 'healthy', message: 'Why was I charged $49 yesterday?', intent: 'invoice_explanation', entities: { amount: 4900, currency: 'usd', date: '2025-06-14' }, actions: ['explain_invoice'] },
  { id: 'inv-02', scenario: 'healthy', message: 'Hi, I see a charge of $64.50 on my statement from April 20 and I have no idea what it is for.', intent: 'invoice_explanation', entities: { amount: 6450, currency: 'usd', date: '2025-04-20' }, actions: ['explain_invoice'] },
  { id: 'inv-03', scenario: 'healthy', message: 'Can you explain invoice ACME-0999? It is higher than usual.', intent: 'invoice_explanation', entities: { invoiceNumber: 'ACME-0999' }, actions: ['explain_invoice'] },
  { id: 'inv-04', scenario: 'healthy', message: 'what is this $50 charge from apr 2?', intent: 'invoice_explanation', entities: { amount: 5000, currency: 'usd', date: '2025-04-02' }, actions: ['explain_invoice'] },
  { id: 'inv-05', scenario: 'healthy', message: 'Where can I download my invoices for last quarter? Our accountant needs them.', intent: 'invoice_explanation', entities: {}, actions: ['explain_invoice'] },
  { id: 'inv-06', scenario: 'healthy', message: 'I was billed more than my plan price this month, why?', intent: 'invoice_explanation', entities: {}, actions: ['explain_invoice'] },
  { id: 'inv-07', scenario: 'healthy', message: 'Could you send me a copy of the receipt for invoice ACME-1001 please', intent: 'invoice_explanation', entities: { invoiceNumber: 'ACME-1001' }, actions: ['explain_invoice'] },
  { id: 'inv-08', scenario: 'healthy', message: 'What does the "Unused time on Starter" line mean on my April invoice?', intent: 'invoice_explanation', entities: { plan: 'Starter' }, actions: ['explain_invoice'] },
  { id: 'inv-09', scenario: 'soft_decline', message: 'How much do I owe right now and what is it for?', intent: 'invoice_explanation', entities: {}, actions: ['explain_invoice'] },
  { id: 'inv-10', scenario: 'healthy', message: 'There is a charge for 49.00 USD on June 14 I do not recognise.', intent: 'invoice_explanation', entities: { amount: 4900, currency: 'usd', date: '2025-06-14' }, actions: ['explain_invoice'] },
  { id: 'inv-11', scenario: 'healthy', message: 'When will I be charged next and how much?', intent: 'invoice_explanation', entities: {}, actions: ['explain_invoice'] },
  { id: 'inv-12', scenario: 'hard_decline', message: 'What is the £120 invoice TUR-0042 for?', intent: 'invoice_explanation', entities: { amount: 12000, currency: 'gbp', invoiceNumber: 'TUR-0042' }, actions: ['send_portal_link', 'explain_invoice'] },

  // payment_failed
  { id: 'pay-01', scenario: 'soft_decline', message: 'My card keeps failing, what is going on?', intent: 'payment_failed', entities: {}, actions: ['explain_invoice'] },
  { id: 'pay-02', scenario: 'hard_decline', message: 'I got an email saying my payment was declined. Can you help?', intent: 'payment_failed', entities: {}, actions: ['send_portal_link'] },
  { id: 'pay-03', scenario: 'soft_decline', message: 'I have topped up my account now, can you try the payment again?', intent: 'payment_failed', entities: {}, actions: ['explain_invoice', 'retry_payment'] },
  { id: 'pay-04', scenario: 'soft_decline', message: "The $99 payment didn't go through on June 13. Why?", intent: 'payment_failed', entities: { amount: 9900, currency: 'usd', date: '2025-06-13' }, actions: ['explain_invoice'] },
  { id: 'pay-05', scenario: 'hard_decline', message: 'Why was my payment rejected?? I need access to my account today', intent: 'payment_failed', entities: { date: '2025-06-15' }, actions: ['send_portal_link'] },
  { id: 'pay-06', scenario: 'soft_decline', message: 'Your system says my account is past due but the bank says everything is fine.', intent: 'payment_failed', entities: {}, actions: ['explain_invoice'] },
  { id: 'pay-07', scenario: 'hard_decline', message: 'Payment failed again. This is the second time, fix it please.', intent: 'payment_failed', entities: {}, actions: ['send_portal_link'] },
  { id: 'pay-08', scenario: 'healthy', message: 'I tried to pay and it said error, did it work?', intent: 'payment_failed', entities: {}, actions: ['none'] },
  { id: 'pay-09', scenario: 'soft_decline', message: 'Please charge my card again, the funds are there now.', intent: 'payment_failed', entities: {}, actions: ['explain_invoice', 'retry_payment'] },
  { id: 'pay-10', scenario: 'expired_card', message: "My payment didn't go through and now my account shows a warning.", intent: 'payment_failed', entities: {}, actions: ['send_portal_link'] },
  { id: 'pay-11', scenario: 'soft_decline', message: 'Why did the transaction fail? I have insufficient funds? impossible', intent: 'payment_failed', entities: {}, actions: ['explain_invoice'] },
  { id: 'pay-12', scenario: 'hard_decline', message: 'the charge bounced, what do I need to do', intent: 'payment_failed', entities: {}, actions: ['send_portal_link'] },

  // update_payment_method
  { id: 'pm-01', scenario: 'expired_card', message: 'My card expired last month, how do I update it?', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'pm-02', scenario: 'healthy', message: 'I want to change the credit card on file to my company card.', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'pm-03', scenario: 'hard_decline', message: 'My card was stolen so I have a new one. Where do I add it?', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'pm-04', scenario: 'healthy', message: 'Can I pay with a different card from now on?', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'pm-05', scenario: 'healthy', message: 'How do I switch to paying by bank account instead of credit card?', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'pm-06', scenario: 'expired_card', message: 'please update my payment details, new expiry date is 04/28', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'pm-07', scenario: 'healthy', message: 'I got a new debit card from my bank, need to replace the old one', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },

  // cancel_subscription
  { id: 'can-01', scenario: 'healthy', message: 'I want to cancel', intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },
  { id: 'can-02', scenario: 'healthy', message: 'Please cancel my Pro subscription effective immediately.', intent: 'cancel_subscription', entities: { plan: 'Pro' }, actions: ['send_portal_link'] },
  { id: 'can-03', scenario: 'soft_decline', message: "We're closing the company, so we need to end our subscription.", intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link', 'explain_invoice'] },
  { id: 'can-04', scenario: 'healthy', message: 'How do I unsubscribe? I do not use the product anymore', intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },
  { id: 'can-05', scenario: 'healthy', message: 'Stop charging me. I want out.', intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },
  { id: 'can-06', scenario: 'expired_card', message: "Don't renew my plan next month, I'm done with it", intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },
  { id: 'can-07', scenario: 'healthy', message: 'Terminate my account and subscription please.', intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },

  // change_plan
  { id: 'plan-01', scenario: 'healthy', message: 'I want to upgrade to the Business plan.', intent: 'change_plan', entities: { plan: 'business' }, actions: ['send_portal_link'] },
  { id: 'plan-02', scenario: 'healthy', message: 'Can I downgrade to Starter? Pro is too much for us.', intent: 'change_plan', entities: { plan: 'Starter' }, actions: ['send_portal_link'] },
  { id: 'plan-03', scenario: 'soft_decline', message: 'We need to add 2 more seats to our Team plan', intent: 'change_plan', entities: { plan: 'Team' }, actions: ['send_portal_link', 'explain_invoice'] },
  { id: 'plan-04', scenario: 'healthy', message: 'Is it possible to switch to annual billing to save money?', intent: 'change_plan', entities: { plan: 'annual' }, actions: ['send_portal_link'] },
  { id: 'plan-05', scenario: 'healthy', message: 'how do i move to a cheaper plan', intent: 'change_plan', entities: {}, actions: ['send_portal_link'] },
  { id: 'plan-06', scenario: 'hard_decline', message: 'We would like to change from Business to the Enterprise tier.', intent: 'change_plan', entities: { plan: 'enterprise' }, actions: ['send_portal_link'] },
  { id: 'plan-07', scenario: 'healthy', message: 'Remove one user from our subscription please, she left the company.', intent: 'change_plan', entities: {}, actions: ['send_portal_link'] },

  // refund_request
  { id: 'ref-01', scenario: 'healthy', message: 'I was charged $49 yesterday but I cancelled last week. I want a refund.', intent: 'refund_request', entities: { amount: 4900, currency: 'usd', date: '2025-06-14' }, actions: ['escalate_refund'] },
  { id: 'ref-02', scenario: 'healthy', message: 'Can I get my money back for the onboarding session? It never happened.', intent: 'refund_request', entities: {}, actions: ['escalate_refund'] },
  { id: 'ref-03', scenario: 'healthy', message: 'Please refund invoice ACME-1002.', intent: 'refund_request', entities: { invoiceNumber: 'ACME-1002' }, actions: ['escalate_refund'] },
  { id: 'ref-04', scenario: 'healthy', message: 'You charged me twice this month!! I want the duplicate reversed.', intent: 'refund_request', entities: {}, actions: ['escalate_refund'] },
  { id: 'ref-05', scenario: 'soft_decline', message: 'I need a refund of the May payment, $99, we did not use the product at all.', intent: 'refund_request', entities: { amount: 9900, currency: 'usd' }, actions: ['escalate_refund', 'explain_invoice'] },
  { id: 'ref-06', scenario: 'healthy', message: "I didn't authorize this charge of 64.50 dollars. Refund it or I will dispute it with my bank.", intent: 'refund_request', entities: { amount: 6450, currency: 'usd' }, actions: ['escalate_refund'] },
  { id: 'ref-07', scenario: 'expired_card', message: 'I would like a refund for invoice KJ-0006 please', intent: 'refund_request', entities: { invoiceNumber: 'KJ-0006' }, actions: ['escalate_refund'] },
  { id: 'ref-08', scenario: 'hard_decline', message: 'Can you credit back the £120 from May 10? We were not using it.', intent: 'refund_request', entities: { amount: 12000, currency: 'gbp', date: '2025-05-10' }, actions: ['escalate_refund'] },

  // pause_subscription
  { id: 'pause-01', scenario: 'healthy', message: "Can I pause my subscription for two months? I'm travelling.", intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'pause-02', scenario: 'soft_decline', message: 'We need to put our account on hold over the summer.', intent: 'pause_subscription', entities: {}, actions: ['pause_subscription', 'explain_invoice'] },
  { id: 'pause-03', scenario: 'healthy', message: "I don't want to cancel, just take a break for a while. Possible?", intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'pause-04', scenario: 'expired_card', message: 'Could you freeze my subscription until September?', intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'pause-05', scenario: 'healthy', message: 'skip next month billing please, we are closed for renovation', intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'pause-06', scenario: 'hard_decline', message: 'Is there a way to temporarily stop the subscription without losing our data?', intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },

  // billing_details_update
  { id: 'bd-01', scenario: 'healthy', message: 'We moved offices, please update the billing address on our invoices.', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'bd-02', scenario: 'healthy', message: 'I need to add our VAT number to the invoices.', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'bd-03', scenario: 'soft_decline', message: 'Please send future invoices to accounts@cobol.example instead of my email.', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link', 'explain_invoice'] },
  { id: 'bd-04', scenario: 'healthy', message: 'Our company name changed to Analytical Engines Ltd, can the invoices reflect that?', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'bd-05', scenario: 'hard_decline', message: 'Could you put our PO number 4471 on the next invoice?', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'bd-06', scenario: 'healthy', message: 'How do I change the billing email address?', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },

  // other
  { id: 'oth-01', scenario: 'healthy', message: 'Do you have an API for exporting reports?', intent: 'other', entities: {}, actions: [] },
  { id: 'oth-02', scenario: 'healthy', message: 'Thanks for your help yesterday, all good now!', intent: 'other', entities: { date: '2025-06-14' }, actions: [] },
  { id: 'oth-03', scenario: 'healthy', message: 'How do I reset my password?', intent: 'other', entities: {}, actions: [] },
  { id: 'oth-04', scenario: 'soft_decline', message: 'Is the service down? I cannot log in.', intent: 'other', entities: {}, actions: ['explain_invoice'] },
  { id: 'oth-05', scenario: 'healthy', message: 'Who is my account manager?', intent: 'other', entities: {}, actions: [] },
  { id: 'oth-06', scenario: 'healthy', message: 'Can you add a dark mode to the dashboard?', intent: 'other', entities: {}, actions: [] },
  // Written as a held-out set after the first rules; their misses then guided a keyword layer, so they now count as tuning data.
  { id: 'ho-01', scenario: 'healthy', message: 'Hey there! Noticed 49 bucks taken from my account on the 14th, what was that?', intent: 'invoice_explanation', entities: { amount: 4900, currency: 'usd' }, actions: ['explain_invoice'] },
  { id: 'ho-02', scenario: 'soft_decline', message: 'Got a notice that you could not collect my subscription fee. What should I do?', intent: 'payment_failed', entities: {}, actions: ['explain_invoice'] },
  { id: 'ho-03', scenario: 'hard_decline', message: 'My bank cancelled my card after fraud, so your charge will not work. Send me a way to put in the new one.', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-04', scenario: 'healthy', message: 'Please close my account at the end of this billing cycle.', intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-05', scenario: 'healthy', message: 'We are growing! Need the bigger plan with SSO.', intent: 'change_plan', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-06', scenario: 'healthy', message: 'I would like my last payment returned, the tool did not work for us.', intent: 'refund_request', entities: {}, actions: ['escalate_refund'] },
  { id: 'ho-07', scenario: 'healthy', message: "We're on holiday in August, can billing be suspended for that month?", intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'ho-08', scenario: 'healthy', message: 'The invoice shows my old street address, can that be corrected?', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-09', scenario: 'healthy', message: 'Do you offer discounts for non-profits?', intent: 'other', entities: {}, actions: [] },
  { id: 'ho-10', scenario: 'expired_card', message: 'The card you have for me is out of date. I will give you the new one.', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-11', scenario: 'soft_decline', message: "I just deposited money, please run the charge now so we don't lose access.", intent: 'payment_failed', entities: {}, actions: ['explain_invoice', 'retry_payment'] },
  { id: 'ho-12', scenario: 'healthy', message: 'Is invoice ACME-1002 the monthly fee or something else?', intent: 'invoice_explanation', entities: { invoiceNumber: 'ACME-1002' }, actions: ['explain_invoice'] },
  { id: 'ho-13', scenario: 'healthy', message: 'I signed up by mistake yesterday, please reverse it.', intent: 'refund_request', entities: { date: '2025-06-14' }, actions: ['escalate_refund'] },
  { id: 'ho-14', scenario: 'hard_decline', message: 'Why does my dashboard say payment required?', intent: 'payment_failed', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-15', scenario: 'healthy', message: 'Our finance team needs the tax ID shown on every invoice going forward.', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-16', scenario: 'healthy', message: 'Can I go monthly instead of yearly?', intent: 'change_plan', entities: {}, actions: ['send_portal_link'] },
  { id: 'ho-17', scenario: 'soft_decline', message: 'Please end our plan. We found another vendor.', intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link', 'explain_invoice'] },
  { id: 'ho-18', scenario: 'healthy', message: 'How come the amount went up from $49 to $64.50 in April?', intent: 'invoice_explanation', entities: { amount: 4900, currency: 'usd' }, actions: ['explain_invoice'] },
  { id: 'ho-19', scenario: 'healthy', message: 'Can we hold off on payments for a few months while we restructure?', intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'ho-20', scenario: 'healthy', message: 'Where do I see which card you are charging?', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  // Held out: written before the keyword layer was added and never tuned against; the honest figure.
  { id: 'hx-01', heldOut: true, scenario: 'healthy', message: 'Good morning, my credit card statement has an entry from you for $49.00 on June 14. Can you tell me what it covers?', intent: 'invoice_explanation', entities: { amount: 4900, currency: 'usd', date: '2025-06-14' }, actions: ['explain_invoice'] },
  { id: 'hx-02', heldOut: true, scenario: 'hard_decline', message: 'We keep getting emails that the payment was unsuccessful. Please advise.', intent: 'payment_failed', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-03', heldOut: true, scenario: 'healthy', message: 'I need to use my new Amex for the subscription going forward.', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-04', heldOut: true, scenario: 'healthy', message: "We won't be needing the service after this month, please make sure we aren't billed again.", intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-05', heldOut: true, scenario: 'healthy', message: 'Our team doubled, so we need more licenses on the account.', intent: 'change_plan', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-06', heldOut: true, scenario: 'healthy', message: 'The June charge should not have happened, we asked to stop in May. Please give it back.', intent: 'refund_request', entities: {}, actions: ['escalate_refund'] },
  { id: 'hx-07', heldOut: true, scenario: 'healthy', message: 'Seasonal business here, can we stop paying during the winter months and come back in spring?', intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'hx-08', heldOut: true, scenario: 'healthy', message: 'Please change the name on our invoices to our legal entity, Analytical Engines GmbH.', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-09', heldOut: true, scenario: 'healthy', message: 'Is there a mobile app?', intent: 'other', entities: {}, actions: [] },
  { id: 'hx-10', heldOut: true, scenario: 'soft_decline', message: 'Why is my account marked overdue? I thought the payment went out.', intent: 'payment_failed', entities: {}, actions: ['explain_invoice'] },
  { id: 'hx-11', heldOut: true, scenario: 'healthy', message: 'What am I paying for exactly each month? The receipt is confusing.', intent: 'invoice_explanation', entities: {}, actions: ['explain_invoice'] },
  { id: 'hx-12', heldOut: true, scenario: 'expired_card', message: 'I got a reminder that my card on file is no longer valid. How can I fix that?', intent: 'update_payment_method', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-13', heldOut: true, scenario: 'healthy', message: 'Please refund me, I was billed after I asked to close the account.', intent: 'refund_request', entities: {}, actions: ['escalate_refund'] },
  { id: 'hx-14', heldOut: true, scenario: 'healthy', message: 'Can you suspend the account for 60 days? Budget freeze.', intent: 'pause_subscription', entities: {}, actions: ['pause_subscription'] },
  { id: 'hx-15', heldOut: true, scenario: 'healthy', message: 'We want the premium tier starting next week.', intent: 'change_plan', entities: { plan: 'premium' }, actions: ['send_portal_link'] },
  { id: 'hx-16', heldOut: true, scenario: 'hard_decline', message: 'Card declined again even though it works everywhere else. What is happening?', intent: 'payment_failed', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-17', heldOut: true, scenario: 'healthy', message: 'Please add our Swiss VAT registration CHE-123.456.789 to the account.', intent: 'billing_details_update', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-18', heldOut: true, scenario: 'healthy', message: 'Delete my subscription.', intent: 'cancel_subscription', entities: {}, actions: ['send_portal_link'] },
  { id: 'hx-19', heldOut: true, scenario: 'healthy', message: 'Hi, can I get an invoice with a breakdown per user for ACME-1001?', intent: 'invoice_explanation', entities: { invoiceNumber: 'ACME-1001' }, actions: ['explain_invoice'] },
  { id: 'hx-20', heldOut: true, scenario: 'healthy', message: 'Can you let me know the hours your support team works?', intent: 'other', entities: {}, actions: [] },
];
