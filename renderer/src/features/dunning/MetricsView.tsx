import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DunningMetrics } from '../../../../shared/contract/dunning';
import type { DeclineCategory } from '../../../../shared/domain/decline-codes';
import { formatMoney, toMajorUnits } from '../../../../shared/domain/money';
import { useApp } from '../../app/store';
import { Money } from '../../ui/format';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { CATEGORY_LABELS } from './labels';
import { useMetrics } from './queries';
import { errorMessage } from '../../api/client';
import { roleRefusal } from '../../../../shared/domain/team-roles';
import { useTeamRole } from '../team/role';
import { WorkloadTable } from './WorkloadTable';

// Recovery figures. Amounts are charted per currency (one chart per currency, or the currency
// chosen), never on a shared axis: ¥ and $ do not add up. Rates are unitless and compared freely.

interface Palette {
  accent: string;
  ok: string;
  warn: string;
  danger: string;
  info: string;
  muted: string;
  grid: string;
  text: string;
  bg: string;
}

function usePalette(): Palette {
  const theme = useApp((s) => s.theme);
  return useMemo(() => {
    const css = getComputedStyle(document.documentElement);
    const v = (name: string) => css.getPropertyValue(name).trim() || '#888';
    return { accent: v('--accent'), ok: v('--ok'), warn: v('--warn'), danger: v('--danger'), info: v('--info'), muted: v('--text-muted'), grid: v('--border'), text: v('--text'), bg: v('--bg') };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme]);
}

const CATEGORY_ORDER: DeclineCategory[] = ['insufficient_funds', 'soft', 'expired_card', 'authentication', 'hard', 'unknown'];
/** Axis labels in major units, compact ("$1.2K", "¥300K"). */
function compactMoney(major: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase(), notation: 'compact', maximumFractionDigits: 1 }).format(major);
  } catch {
    return `${major} ${currency.toUpperCase()}`;
  }
}
const percent = (rate: number | null) => (rate == null ? '—' : `${Math.round(rate * 1000) / 10}%`);
const days = (seconds: number | null) => (seconds == null ? '—' : seconds < 86_400 ? `${Math.round(seconds / 3600)} h` : `${Math.round((seconds / 86_400) * 10) / 10} days`);

export function MetricsView() {
  const query = useMetrics();
  const metrics = query.data;
  if (query.error) return <ErrorState message={`Could not compute the metrics: ${errorMessage(query.error)}`} onRetry={() => void query.refetch()} />;
  if (!metrics) return <Loading label="Computing recovery metrics…" />;
  const anything = metrics.atRisk.length + metrics.recovered90.length + metrics.recoveryRate90.length > 0;
  if (!anything) return <EmptyState title="No dunning activity yet" hint="Metrics appear once payments fail: cases, recoveries and losses in the last 90 days." />;
  return <MetricsCharts metrics={metrics} />;
}

function currenciesOf(m: DunningMetrics): string[] {
  const seen = new Map<string, number>();
  for (const r of [...m.atRisk, ...m.recovered90]) seen.set(r.currency, (seen.get(r.currency) ?? 0) + r.count);
  for (const r of m.recoveryRate90) if (!seen.has(r.currency)) seen.set(r.currency, r.cases);
  return [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
}

function MetricsCharts({ metrics }: { metrics: DunningMetrics }) {
  const p = usePalette();
  // On a team, whoever may assign cases (a lead, the server's table says) sees who holds what.
  const role = useTeamRole();
  const showWorkload = role !== null && roleRefusal(role, 'dunning.assign', {}) === null;
  const currencies = currenciesOf(metrics);
  const [currency, setCurrency] = useState(currencies[0]!);
  const money = (minor: number) => formatMoney(minor, currency);
  const tooltipStyle = { background: p.bg, border: `1px solid ${p.grid}`, color: p.text };

  const atRiskByCategory = (cur: string) =>
    CATEGORY_ORDER.map((c) => {
      const row = metrics.byCategory.find((r) => r.category === c && r.currency === cur);
      return { category: CATEGORY_LABELS[c], amount: toMajorUnits(row?.atRisk ?? 0, cur), minor: row?.atRisk ?? 0, cases: row?.openCases ?? 0 };
    }).filter((r) => r.cases > 0);

  const recovered = [
    { period: 'Last 30 days', minor: metrics.recovered30.find((r) => r.currency === currency)?.amount ?? 0, cases: metrics.recovered30.find((r) => r.currency === currency)?.count ?? 0 },
    { period: 'Last 90 days', minor: metrics.recovered90.find((r) => r.currency === currency)?.amount ?? 0, cases: metrics.recovered90.find((r) => r.currency === currency)?.count ?? 0 },
  ].map((r) => ({ ...r, amount: toMajorUnits(r.minor, currency) }));

  const rates = currencies.map((c) => ({
    currency: c.toUpperCase(),
    d30: (metrics.recoveryRate30.find((r) => r.currency === c)?.rate ?? 0) * 100,
    d90: (metrics.recoveryRate90.find((r) => r.currency === c)?.rate ?? 0) * 100,
  }));

  const categories = CATEGORY_ORDER.map((c) => {
    const row = metrics.byCategory.find((r) => r.category === c && r.currency === currency);
    return { category: CATEGORY_LABELS[c], rate: (row?.rate ?? 0) * 100, rateText: percent(row?.rate ?? null), open: row?.openCases ?? 0, recovered: row?.recoveredCases ?? 0, lost: row?.lostCases ?? 0, entered: row?.entered ?? 0 };
  }).filter((r) => r.open + r.recovered + r.lost > 0);

  const ttr = metrics.timeToRecover;

  return (
    <div className="dunning-metrics" data-testid="dunning-metrics">
      <div className="dunning-metric-cards">
        {metrics.atRisk.map((r) => (
          <div key={r.currency} className="metric-card">
            <span className="muted">At risk · {r.currency.toUpperCase()}</span>
            <strong>
              <Money amount={r.amount} currency={r.currency} />
            </strong>
            <span className="muted">{r.count} open cases</span>
          </div>
        ))}
        <div className="metric-card">
          <span className="muted">Time to recover (90 days)</span>
          <strong>{days(ttr.medianSeconds)}</strong>
          <span className="muted">
            median · p90 {days(ttr.p90Seconds)} · {ttr.cases} recovered
          </span>
        </div>
      </div>

      <label className="dunning-field dunning-currency-pick">
        <span>Amounts in</span>
        <select aria-label="Currency of the amount charts" value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c.toUpperCase()}
            </option>
          ))}
        </select>
      </label>

      <div className="dunning-charts">
        {showWorkload && metrics.byAssignee.length > 0 && <WorkloadTable rows={metrics.byAssignee} />}
        <figure className="chart-card">
          <figcaption>Amount at risk per currency, by decline category</figcaption>
          <div className="small-multiples">
            {metrics.atRisk.map((r) => (
              <div key={r.currency} className="small-multiple">
                <div className="muted">
                  {r.currency.toUpperCase()} · <Money amount={r.amount} currency={r.currency} />
                </div>
                <ResponsiveContainer width="100%" height={Math.max(70, atRiskByCategory(r.currency).length * 24 + 24)}>
                  <BarChart data={atRiskByCategory(r.currency)} layout="vertical" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
                    <XAxis type="number" hide />
                    <YAxis type="category" dataKey="category" width={120} tick={{ fill: p.muted, fontSize: 11 }} />
                    <Tooltip contentStyle={tooltipStyle} formatter={(_v, _n, item) => [formatMoney((item.payload as { minor: number }).minor, r.currency), 'At risk']} />
                    <Bar dataKey="amount" fill={p.danger} isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            ))}
          </div>
        </figure>

        <figure className="chart-card">
          <figcaption>Recovered in the last 30 and 90 days ({currency.toUpperCase()})</figcaption>
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={recovered} margin={{ left: 8, right: 16, top: 8, bottom: 4 }}>
              <CartesianGrid stroke={p.grid} vertical={false} />
              <XAxis dataKey="period" tick={{ fill: p.muted, fontSize: 11 }} />
              <YAxis tick={{ fill: p.muted, fontSize: 11 }} tickFormatter={(v: number) => compactMoney(v, currency)} width={80} />
              <Tooltip contentStyle={tooltipStyle} formatter={(_v, _n, item) => [`${money((item.payload as { minor: number }).minor)} (${(item.payload as { cases: number }).cases} cases)`, 'Recovered']} />
              <Bar dataKey="amount" fill={p.ok} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <p className="muted chart-note">
            {recovered.map((r) => `${r.period}: ${money(r.minor)} (${r.cases})`).join(' · ')}
          </p>
        </figure>

        <figure className="chart-card">
          <figcaption>Recovery rate: recovered ÷ amount that entered dunning, per currency</figcaption>
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={rates} margin={{ left: 8, right: 16, top: 8, bottom: 4 }}>
              <CartesianGrid stroke={p.grid} vertical={false} />
              <XAxis dataKey="currency" tick={{ fill: p.muted, fontSize: 11 }} />
              <YAxis domain={[0, 100]} tick={{ fill: p.muted, fontSize: 11 }} tickFormatter={(v: number) => `${v}%`} width={44} />
              <Tooltip contentStyle={tooltipStyle} formatter={(v) => `${Math.round(Number(v) * 10) / 10}%`} />
              <Legend wrapperStyle={{ color: p.text, fontSize: 12 }} />
              <Bar dataKey="d30" name="Cases opened in the last 30 days" fill={p.accent} isAnimationActive={false} />
              <Bar dataKey="d90" name="Last 90 days" fill={p.info} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>

        <figure className="chart-card">
          <figcaption>Recovery rate by decline category, last 90 days ({currency.toUpperCase()})</figcaption>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={categories} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
              <CartesianGrid stroke={p.grid} horizontal={false} />
              <XAxis type="number" domain={[0, 100]} tick={{ fill: p.muted, fontSize: 11 }} tickFormatter={(v: number) => `${v}%`} />
              <YAxis type="category" dataKey="category" width={120} tick={{ fill: p.muted, fontSize: 11 }} />
              <Tooltip contentStyle={tooltipStyle} formatter={(_v, _n, item) => { const r = item.payload as (typeof categories)[number]; return [`${r.rateText} of ${money(r.entered)} · ${r.open} open, ${r.recovered} recovered, ${r.lost} lost`, 'Recovered']; }} />
              <Bar dataKey="rate" isAnimationActive={false}>
                {categories.map((c) => (
                  <Cell key={c.category} fill={c.rate >= 50 ? p.ok : c.rate >= 20 ? p.warn : p.danger} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
          <table className="dense chart-table">
            <caption className="dunning-sr-only">Cases by decline category ({currency.toUpperCase()})</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col" className="num">Open</th>
                <th scope="col" className="num">Recovered</th>
                <th scope="col" className="num">Lost</th>
                <th scope="col" className="num">Rate</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((c) => (
                <tr key={c.category}>
                  <td>{c.category}</td>
                  <td className="num">{c.open}</td>
                  <td className="num">{c.recovered}</td>
                  <td className="num">{c.lost}</td>
                  <td className="num">{c.rateText}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>

        <figure className="chart-card">
          <figcaption>
            Time to recover (cases recovered in the last 90 days): median {days(ttr.medianSeconds)}, p90 {days(ttr.p90Seconds)}
          </figcaption>
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={ttr.buckets} margin={{ left: 8, right: 16, top: 8, bottom: 4 }}>
              <CartesianGrid stroke={p.grid} vertical={false} />
              <XAxis dataKey="label" tick={{ fill: p.muted, fontSize: 11 }} />
              <YAxis allowDecimals={false} tick={{ fill: p.muted, fontSize: 11 }} width={32} />
              <Tooltip contentStyle={tooltipStyle} formatter={(v) => [`${String(v)} cases`, 'Recovered']} />
              <Bar dataKey="count" fill={p.accent} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      </div>
    </div>
  );
}
