import { useEffect, useId, useRef, useState } from 'react';
import { useApp } from '../../app/store';
import { DECLINE_CATEGORIES, DUNNING_SORT_KEYS, DUNNING_STAGES, type DunningSortKey, type DunningStage } from '../../../../shared/contract/dunning';
import type { DeclineCategory } from '../../../../shared/domain/decline-codes';
import { CATEGORY_HINTS, CATEGORY_LABELS, STAGE_LABELS } from './labels';
import { useDunning } from './store';
import { withoutInvisibles } from '../../../../shared/domain/invisible-text';

const SORT_LABELS: Record<DunningSortKey, string> = { amount: 'Amount at risk', age: 'Days in dunning', attempts: 'Attempts', next_retry: 'Next retry' };
const OPEN: DunningStage[] = ['new', 'contacted', 'awaiting_customer'];
const UNASSIGNED = '__unassigned__';

/** The longest queue search the service takes. */
const MAX_QUERY = 200;

/** Text and number fields commit after a short pause, so typing does not query on every key. */
function useDebounced<T>(value: T, commit: (v: T) => void, ms = 250) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => commit(value), ms);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
}

function toNumber(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(n) || n < 0 ? undefined : n;
}

export function FiltersBar({ searchRef }: { searchRef: React.RefObject<HTMLInputElement | null> }) {
  const filters = useDunning((s) => s.filters);
  const sort = useDunning((s) => s.sort);
  const totals = useDunning((s) => s.totals);
  const assignees = useDunning((s) => s.assignees);
  // On a team the name is the server's for this agent, so "mine" is the same on every desk.
  const me = useApp((s) => s.workspace?.agentName ?? null);
  const setFilters = useDunning((s) => s.setFilters);
  const setSort = useDunning((s) => s.setSort);
  const clearFilters = useDunning((s) => s.clearFilters);
  const id = useId();

  const [query, setQuery] = useState(filters.query ?? '');
  const [amountMin, setAmountMin] = useState(filters.amountMin?.toString() ?? '');
  const [amountMax, setAmountMax] = useState(filters.amountMax?.toString() ?? '');
  const [minAge, setMinAge] = useState(filters.minAgeDays?.toString() ?? '');
  const [maxAge, setMaxAge] = useState(filters.maxAgeDays?.toString() ?? '');
  // A saved view or "clear" replaces the filters: the fields follow.
  useEffect(() => {
    setQuery(filters.query ?? '');
    setAmountMin(filters.amountMin?.toString() ?? '');
    setAmountMax(filters.amountMax?.toString() ?? '');
    setMinAge(filters.minAgeDays?.toString() ?? '');
    setMaxAge(filters.maxAgeDays?.toString() ?? '');
  }, [filters.query, filters.amountMin, filters.amountMax, filters.minAgeDays, filters.maxAgeDays]);
  // Invisible characters from a paste (zero-width space, bidi marks) would make a visible match fail.
  // A query over the service's limit is not sent (the whole queue would fail): the field says why.
  const queryLength = withoutInvisibles(query).trim().length;
  const queryTooLong = queryLength > MAX_QUERY;
  useDebounced(query, (q) => q !== (filters.query ?? '') && withoutInvisibles(q).trim().length <= MAX_QUERY && setFilters({ query: withoutInvisibles(q).trim() || undefined }));
  useDebounced(amountMin, (v) => setFilters({ amountMin: toNumber(v) }));
  useDebounced(amountMax, (v) => setFilters({ amountMax: toNumber(v) }));
  useDebounced(minAge, (v) => setFilters({ minAgeDays: toNumber(v) != null ? Math.floor(toNumber(v)!) : undefined }));
  useDebounced(maxAge, (v) => setFilters({ maxAgeDays: toNumber(v) != null ? Math.floor(toNumber(v)!) : undefined }));

  const stages = filters.stages ?? OPEN;
  const toggleStage = (stage: DunningStage) => {
    const next = stages.includes(stage) ? stages.filter((s) => s !== stage) : [...stages, stage];
    setFilters({ stages: next.length ? (next.length === 3 && OPEN.every((s) => next.includes(s)) ? undefined : next) : undefined });
  };
  const toggleCategory = (c: DeclineCategory) => {
    const current = filters.categories ?? [];
    const next = current.includes(c) ? current.filter((x) => x !== c) : [...current, c];
    setFilters({ categories: next.length ? next : undefined });
  };
  const currencies = [...new Set([...totals.map((t) => t.currency), ...(filters.currency ? [filters.currency] : [])])].sort();
  const filtered = Object.keys(filters).length > 0;
  const amountUnit = filters.currency ? filters.currency.toUpperCase() : 'in each currency';

  return (
    <div className="dunning-filters" role="search" aria-label="Filter the dunning queue">
      <div className="dunning-filter-row">
        <input
          ref={searchRef}
          type="search"
          className="dunning-search"
          placeholder="Customer, email, invoice, decline code…  ( / )"
          aria-label="Search the queue"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-invalid={queryTooLong || undefined}
          aria-describedby={queryTooLong ? `${id}-query-long` : undefined}
        />
        <fieldset className="dunning-chips" aria-label="Stage">
          <legend className="dunning-sr-only">Stage</legend>
          {DUNNING_STAGES.map((s) => (
            <label key={s} className={`chip${stages.includes(s) ? ' on' : ''}`}>
              <input type="checkbox" checked={stages.includes(s)} onChange={() => toggleStage(s)} />
              {STAGE_LABELS[s]}
            </label>
          ))}
        </fieldset>
        <label className="dunning-field">
          <span>Sort</span>
          <select
            aria-label="Sort by"
            value={`${sort.by}:${sort.dir}`}
            onChange={(e) => {
              const [by, dir] = e.target.value.split(':') as [DunningSortKey, 'asc' | 'desc'];
              setSort({ by, dir });
            }}
          >
            {DUNNING_SORT_KEYS.flatMap((k) => [
              <option key={`${k}:desc`} value={`${k}:desc`}>
                {SORT_LABELS[k]} {k === 'next_retry' ? '(latest first)' : '(highest first)'}
              </option>,
              <option key={`${k}:asc`} value={`${k}:asc`}>
                {SORT_LABELS[k]} {k === 'next_retry' ? '(soonest first)' : '(lowest first)'}
              </option>,
            ])}
          </select>
        </label>
        {filtered && (
          <button type="button" className="dunning-link" onClick={clearFilters}>
            Clear filters
          </button>
        )}
      </div>
      {queryTooLong && (
        <p className="dunning-refusal" role="alert" id={`${id}-query-long`}>
          The search takes up to {MAX_QUERY} characters; this has {queryLength.toLocaleString()}. Paste just the name, email, invoice number or decline code.
        </p>
      )}
      <div className="dunning-filter-row">
        <fieldset className="dunning-chips" aria-label="Decline category">
          <legend className="dunning-sr-only">Decline category</legend>
          {DECLINE_CATEGORIES.map((c) => (
            <label key={c} className={`chip${filters.categories?.includes(c) ? ' on' : ''}`} title={CATEGORY_HINTS[c]}>
              <input type="checkbox" checked={filters.categories?.includes(c) ?? false} onChange={() => toggleCategory(c)} />
              {CATEGORY_LABELS[c]}
            </label>
          ))}
        </fieldset>
        <label className="dunning-field">
          <span>Currency</span>
          <select aria-label="Currency" value={filters.currency ?? ''} onChange={(e) => setFilters({ currency: e.target.value || undefined })}>
            <option value="">All</option>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="dunning-field" title={`Amount at risk, in major units ${amountUnit}`}>
          <span>Amount</span>
          <input id={`${id}-min`} className="num" inputMode="decimal" aria-label={`Minimum amount at risk (${amountUnit})`} placeholder="min" value={amountMin} onChange={(e) => setAmountMin(e.target.value)} />
          <span aria-hidden="true">–</span>
          <input className="num" inputMode="decimal" aria-label={`Maximum amount at risk (${amountUnit})`} placeholder="max" value={amountMax} onChange={(e) => setAmountMax(e.target.value)} />
        </label>
        <label className="dunning-field" title="Days since the first failed payment">
          <span>Days</span>
          <input className="num" inputMode="numeric" aria-label="At least this many days in dunning" placeholder="min" value={minAge} onChange={(e) => setMinAge(e.target.value)} />
          <span aria-hidden="true">–</span>
          <input className="num" inputMode="numeric" aria-label="At most this many days in dunning" placeholder="max" value={maxAge} onChange={(e) => setMaxAge(e.target.value)} />
        </label>
        <label className="dunning-field">
          <span>Assignee</span>
          <select
            aria-label="Assignee"
            value={filters.assignee === null ? UNASSIGNED : (filters.assignee ?? '')}
            onChange={(e) => setFilters({ assignee: e.target.value === UNASSIGNED ? null : e.target.value || undefined })}
          >
            <option value="">Anyone</option>
            <option value={UNASSIGNED}>Unassigned</option>
            {me && <option value={me}>Assigned to me ({me})</option>}
            {assignees.filter((a) => a !== me).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}
