import { format, formatDistanceToNowStrict } from 'date-fns';
import { formatMoney } from '../../../shared/domain/money';
import { useState } from 'react';
import { useApp } from '../app/store';
import { Icon } from './icons';
import { copyText } from './clipboard';
import { nextRetryWords } from './next-retry';

/** An amount in minor units, always with its currency. */
export function Money({ amount, currency }: { amount: number | null | undefined; currency: string | null | undefined }) {
  return <span className="money">{formatMoney(amount, currency)}</span>;
}

/** Relative time ("3 days ago"), exact time on hover. Accepts unix seconds (Stripe) or ms. */
export function When({ at, unit = 's' }: { at: number | null | undefined; unit?: 's' | 'ms' }) {
  if (at == null) return <span className="muted">—</span>;
  const date = new Date(unit === 's' ? at * 1000 : at);
  const exact = format(date, 'PPpp');
  return (
    <time dateTime={date.toISOString()} title={exact}>
      {formatDistanceToNowStrict(date, { addSuffix: true })}
    </time>
  );
}

/** Stripe's next automatic retry; a past time says it is overdue instead of "3 hours ago". */
export function NextRetry({ at }: { at: number }) {
  const date = new Date(at * 1000);
  const { text, overdue } = nextRetryWords(at, Date.now());
  return (
    <time dateTime={date.toISOString()} title={format(date, 'PPpp')} className={overdue ? 'overdue' : undefined}>
      {text}
    </time>
  );
}

/** An id with a copy button. */
export function CopyId({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  const toast = useApp((s) => s.showToast);
  const copy = async () => {
    try {
      await copyText(id);
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    } catch {
      toast('Could not copy to the clipboard.', 'error');
    }
  };
  return (
    <span className="copy-id">
      <code>{id}</code>
      <button type="button" className="icon-button" onClick={copy} aria-label={`Copy ${id}`} title="Copy id">
        <Icon name={copied ? 'check' : 'copy'} size={13} />
      </button>
    </span>
  );
}
