import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { PORTAL_FLOW_LABELS, PORTAL_FLOWS, type PortalFlow } from '../../../../shared/contract/portal';
import { flowRefusal, needsSubscription } from '../../../../shared/domain/portal-flow-rules';
import { useShortcut } from '../../app/key-dispatch';
import { withKeys } from '../../app/keymap';
import { Icon } from '../../ui/icons';
import { PortalLinkResult } from './PortalLinkResult';
import { useCreatePortalLink } from './useCreatePortalLink';
import './portal.css';

/** What the button needs to know of a subscription (Customer360's SubscriptionView fits). */
export interface PortalSubscriptionChoice {
  id: string;
  status: string;
  cancelAtPeriodEnd: boolean;
  items?: Array<{ id: string; productName: string | null; priceNickname: string | null }>;
}

const FLOW_HINTS: Record<PortalFlow, string> = {
  home: 'Everything the portal offers',
  payment_method_update: 'Replace the card on file',
  subscription_cancel: 'Cancel the selected subscription',
  subscription_update: 'Switch plan or quantity',
  subscription_update_confirm: 'Confirm a change you prepare',
  subscription_pause: 'Pause the selected subscription',
  customer_update: 'Email, address, tax ids',
};

function describeSubscription(s: PortalSubscriptionChoice): string {
  const products = (s.items ?? []).map((i) => i.productName ?? i.priceNickname).filter(Boolean).join(', ');
  return `${products || s.id} · ${s.status.replace(/_/g, ' ')}${s.cancelAtPeriodEnd ? ' (cancels at period end)' : ''}`;
}

/**
 * "Portal link" on a customer: P (or a click) opens the flows; one click on a flow creates the
 * link, copies it and shows it. Without a subscription list the service picks the customer's only
 * fitting subscription, or says which to choose.
 */
export function PortalLinkButton({ customerId, subscriptions }: { customerId: string; subscriptions?: PortalSubscriptionChoice[] }) {
  const [open, setOpen] = useState(false);
  const [subscriptionId, setSubscriptionId] = useState<string>('');
  const [confirming, setConfirming] = useState(false);
  const { busy, link, copied, error, create, reset } = useCreatePortalLink();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();

  const selected = subscriptions?.find((s) => s.id === subscriptionId) ?? null;

  useEffect(() => {
    // Default to the first subscription that is not over: the one an agent usually means.
    if (!subscriptions?.length) return setSubscriptionId('');
    if (subscriptions.some((s) => s.id === subscriptionId)) return;
    const live = subscriptions.find((s) => !['canceled', 'incomplete_expired'].includes(s.status)) ?? subscriptions[0]!;
    setSubscriptionId(live.id);
  }, [subscriptions, subscriptionId]);

  // P on the customer view opens the panel. While it is open its keys work wherever focus is (a
  // click on the panel's text, or a digit typed before the first flow button took focus, leaves
  // focus on the page); Esc closes the panel first, never the customer behind it.
  useShortcut('customer.portalLink', () => (open ? false : openPanel()));
  useShortcut('dialog.close', () => close(), { root: panelRef, enabled: open });
  useShortcut('portal.flow', (e) => choose(PORTAL_FLOWS[Number(e.key) - 1]!), { root: panelRef, enabled: open });
  // From outside the flows (a click on the panel's text left focus on the page) J takes the first
  // flow and K the last; the key is the panel's either way, never the list's behind it.
  const stepFlow = (step: 1 | -1) => () => {
    const buttons = [...(panelRef.current?.querySelectorAll<HTMLButtonElement>('button.portal-flow:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = at < 0 ? (step === 1 ? 0 : buttons.length - 1) : (at + step + buttons.length) % buttons.length;
    buttons[next]?.focus();
  };
  useShortcut('portal.nextFlow', stepFlow(1), { root: panelRef, enabled: open });
  useShortcut('portal.previousFlow', stepFlow(-1), { root: panelRef, enabled: open });

  // The first flow takes focus as the panel appears (a layout effect, not a frame later): a J
  // pressed right after P then moves from it instead of landing on the page.
  useLayoutEffect(() => {
    if (open) panelRef.current?.querySelector<HTMLButtonElement>('button.portal-flow:not(:disabled)')?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!panelRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  function openPanel() {
    reset();
    setConfirming(false);
    setOpen(true);
  }

  function close() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function refusal(flow: PortalFlow): string | null {
    if (!needsSubscription(flow) || !subscriptions) return null;
    if (!selected) return 'This customer has no subscription.';
    return flowRefusal(flow, selected);
  }

  function choose(flow: PortalFlow) {
    if (refusal(flow) || busy) return;
    if (flow === 'subscription_update_confirm') return setConfirming(true);
    void create({ customerId, flow, ...(needsSubscription(flow) && selected ? { subscriptionId: selected.id } : {}) });
  }

  return (
    <span className="portal-link-button">
      <button
        ref={buttonRef}
        type="button"
        onClick={() => (open ? close() : openPanel())}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        title={withKeys('Send a Customer Portal link', 'customer.portalLink')}
        data-testid="portal-link-button"
      >
        <Icon name="link" size={14} /> Portal link <kbd>P</kbd>
      </button>
      {open && (
        <div ref={panelRef} id={panelId} className="portal-panel" role="dialog" aria-label="Send a Customer Portal link">
          {subscriptions && subscriptions.length > 0 && (
            <label className="portal-field">
              <span>Subscription</span>
              <select value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)}>
                {subscriptions.map((s) => (
                  <option key={s.id} value={s.id}>
                    {describeSubscription(s)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <ul className="portal-flows" aria-label="Portal flows">
            {PORTAL_FLOWS.map((flow, i) => {
              const why = refusal(flow);
              return (
                <li key={flow}>
                  {/* Busy is aria-disabled, not disabled: disabling the focused button would drop focus to the page. */}
                  <button type="button" className="portal-flow" disabled={!!why} aria-disabled={busy || undefined} onClick={() => choose(flow)} title={why ?? FLOW_HINTS[flow]} data-flow={flow}>
                    <kbd aria-hidden="true">{i + 1}</kbd>
                    <span className="portal-flow-label">{PORTAL_FLOW_LABELS[flow]}</span>
                    <span className="muted portal-flow-hint">{why ? 'Not available' : FLOW_HINTS[flow]}</span>
                  </button>
                </li>
              );
            })}
          </ul>
          {confirming && <ConfirmChangeForm subscription={selected} busy={busy} onSubmit={(items) => void create({ customerId, flow: 'subscription_update_confirm', subscriptionId: selected?.id, items })} />}
          {busy && (
            <p className="muted" role="status">
              <span className="spinner" aria-hidden="true" /> Creating the link…
            </p>
          )}
          {error && (
            <p className="portal-error" role="alert">
              {error}
            </p>
          )}
          {link && <PortalLinkResult link={link} copied={copied} />}
        </div>
      )}
    </span>
  );
}

/** subscription_update_confirm needs the change itself: an item and its new price and/or quantity. */
function ConfirmChangeForm({ subscription, busy, onSubmit }: { subscription: PortalSubscriptionChoice | null; busy: boolean; onSubmit: (items: Array<{ id: string; price?: string; quantity?: number }>) => void }) {
  const items = subscription?.items ?? [];
  const [itemId, setItemId] = useState(items[0]?.id ?? '');
  const [price, setPrice] = useState('');
  const [quantity, setQuantity] = useState('');
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const q = quantity.trim() === '' ? undefined : Number(quantity);
    onSubmit([{ id: itemId.trim(), ...(price.trim() ? { price: price.trim() } : {}), ...(q !== undefined ? { quantity: q } : {}) }]);
  };
  return (
    <form className="portal-confirm" onSubmit={submit} aria-label="Plan change to confirm">
      <label className="portal-field">
        <span>Item</span>
        {items.length ? (
          <select value={itemId} onChange={(e) => setItemId(e.target.value)}>
            {items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.productName ?? i.priceNickname ?? i.id}
              </option>
            ))}
          </select>
        ) : (
          <input value={itemId} onChange={(e) => setItemId(e.target.value)} placeholder="si_…" required />
        )}
      </label>
      <label className="portal-field">
        <span>New price</span>
        <input value={price} onChange={(e) => setPrice(e.target.value)} placeholder="price_…" />
      </label>
      <label className="portal-field">
        <span>Quantity</span>
        <input value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="numeric" pattern="[0-9]*" placeholder="unchanged" />
      </label>
      <button type="submit" className="primary" disabled={busy || !itemId || (!price.trim() && !quantity.trim())}>
        Create link
      </button>
    </form>
  );
}
