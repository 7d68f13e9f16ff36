import type { AssigneeWorkload, CurrencyAmount } from '../../../../shared/contract/dunning';
import { Money } from '../../ui/format';

// The lead's per-agent view of the queue (computed on this desk from its copy of the cases):
// who holds how many open cases, how much is at risk with them and what they recovered lately.
// Amounts stay per currency, one line each, never summed across currencies.

function Amounts({ amounts }: { amounts: CurrencyAmount[] }) {
  if (amounts.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {amounts.map((a, i) => (
        <span key={a.currency}>
          {i > 0 && ' · '}
          <Money amount={a.amount} currency={a.currency} />
        </span>
      ))}
    </>
  );
}

export function WorkloadTable({ rows }: { rows: AssigneeWorkload[] }) {
  return (
    <figure className="chart-card" data-testid="dunning-workload">
      <figcaption>Cases by agent: open now, at risk, recovered in the last 90 days</figcaption>
      <table className="dense chart-table">
        <caption className="dunning-sr-only">Open cases and amounts per agent</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col" className="num">Open cases</th>
            <th scope="col" className="num">At risk</th>
            <th scope="col" className="num">Recovered (90 days)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.agentId ?? r.assignee ?? ''} data-testid="dunning-workload-row">
              <th scope="row">{r.assignee ?? <em>Unassigned</em>}</th>
              <td className="num">{r.openCases}</td>
              <td className="num">
                <Amounts amounts={r.atRisk} />
              </td>
              <td className="num">
                <Amounts amounts={r.recovered90} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
