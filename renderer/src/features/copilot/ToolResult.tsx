import type { CopilotAction, CopilotCitation, KbHit } from '../../../../shared/contract/copilot';
import { CopyId, Money, When } from '../../ui/format';
import { CitationChip } from './CitationChip';
import { ProposalCard } from './ProposalCard';

// What the model looked up, as components rather than JSON: an invoice list, payment attempts with
// the decline in words, subscriptions, knowledge-base articles; a proposal it made is a card.

export interface ToolPart {
  type: string;
  toolCallId: string;
  state: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
}

interface InvoiceRow {
  id: string;
  number: string | null;
  status: string | null;
  currency: string;
  total: number;
  amountRemaining: number;
  created: number;
}

interface AttemptRow {
  id: string;
  status: string;
  amount: number;
  currency: string;
  created: number;
  explanation: string | null;
  card: string;
}

interface SubscriptionRow {
  id: string;
  planName: string;
  status: string;
  amount: number;
  currency: string;
  interval: string | null;
  currentPeriodEnd: number | null;
}

const RUNNING: Record<string, string> = {
  findInvoices: 'Looking up invoices…',
  getPaymentAttempts: 'Reading the payment attempts…',
  getSubscriptions: 'Reading the subscriptions…',
  searchKnowledgeBase: 'Searching the knowledge base…',
  proposeAction: 'Preparing a proposal…',
};

export function ToolResult(props: { part: ToolPart; customerId: string; customerName: string; catalog: Map<string, CopilotCitation>; onInsert: (t: string) => void }) {
  const { part, catalog } = props;
  const name = part.type.slice('tool-'.length);
  if (part.state === 'output-error') return <p className="cp-tool cp-tool-error">A lookup failed: {part.errorText}</p>;
  if (part.state !== 'output-available') {
    return (
      <p className="cp-tool muted" role="status">
        <span className="spinner" aria-hidden="true" /> {RUNNING[name] ?? 'Working…'}
      </p>
    );
  }
  const out = part.output as Record<string, unknown>;
  switch (name) {
    case 'findInvoices': {
      const rows = (out.invoices as InvoiceRow[]) ?? [];
      return (
        <div className="cp-tool">
          <p className="cp-tool-title">Invoices found: {rows.length}</p>
          {rows.length === 0 ? (
            <p className="muted">No invoice of this customer matches.</p>
          ) : (
            <table className="dense cp-table">
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Total</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>{catalog.get(r.id) ? <CitationChip citation={{ ...catalog.get(r.id)!, label: r.number ?? r.id }} /> : <CopyId id={r.id} />}</td>
                    <td>
                      <span className={`badge ${r.status === 'paid' ? 'ok' : r.status === 'open' ? 'warn' : ''}`}>{r.status}</span>
                    </td>
                    <td className="num">
                      <Money amount={r.total} currency={r.currency} />
                    </td>
                    <td>
                      <When at={r.created} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      );
    }
    case 'getPaymentAttempts': {
      const rows = (out.attempts as AttemptRow[]) ?? [];
      return (
        <div className="cp-tool">
          <p className="cp-tool-title">Payment attempts: {rows.length}</p>
          <ul className="cp-list">
            {rows.map((a) => (
              <li key={a.id}>
                <span className={`badge ${a.status === 'failed' ? 'danger' : 'ok'}`}>{a.status}</span> <Money amount={a.amount} currency={a.currency} /> · {a.card} · <When at={a.created} />
                {a.explanation && <div className="muted">{a.explanation}</div>}
              </li>
            ))}
          </ul>
        </div>
      );
    }
    case 'getSubscriptions': {
      const rows = (out.subscriptions as SubscriptionRow[]) ?? [];
      return (
        <div className="cp-tool">
          <p className="cp-tool-title">Subscriptions: {rows.length}</p>
          <ul className="cp-list">
            {rows.map((s) => (
              <li key={s.id}>
                <strong>{s.planName}</strong> <span className="badge">{s.status}</span> <Money amount={s.amount} currency={s.currency} />
                {s.interval ? ` / ${s.interval}` : ''}
                {s.currentPeriodEnd ? (
                  <>
                    {' '}· renews <When at={s.currentPeriodEnd} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      );
    }
    case 'searchKnowledgeBase': {
      const hits = (out.results as KbHit[]) ?? [];
      return (
        <div className="cp-tool">
          <p className="cp-tool-title">Articles consulted</p>
          <div className="cp-cites">
            {hits.length === 0 ? <span className="muted">None matched.</span> : hits.map((h, i) => <CitationChip key={`${h.ref}-${i}`} citation={{ ref: h.ref, kind: 'kb', label: h.heading ? `${h.title} › ${h.heading}` : h.title }} />)}
          </div>
        </div>
      );
    }
    case 'proposeAction': {
      const r = out as { proposed: boolean; action?: CopilotAction; problem?: string };
      if (r.proposed && r.action) return <ProposalCard action={r.action} customerId={props.customerId} customerName={props.customerName} catalog={catalog} onInsert={props.onInsert} />;
      return <p className="cp-tool muted">The model suggested an action the data does not support; it was not proposed ({r.problem}).</p>;
    }
    default:
      return null;
  }
}
