import { useId } from 'react';
import { STATUS_LABELS } from '../lib/labels';
import { INTERVIEW_STATUSES } from '../types';
import type { DashboardFilters, SortKey } from './dashboardFilters';

export function FilterBar({ filters, onChange }: { filters: DashboardFilters; onChange: (f: DashboardFilters) => void }) {
  const ids = { search: useId(), status: useId(), sort: useId() };
  return (
    <div className="filter-bar" role="search">
      <div className="field field--inline filter-bar__search">
        <label htmlFor={ids.search}>Search</label>
        <input
          id={ids.search}
          type="search"
          placeholder="Candidate or role"
          value={filters.search}
          onChange={(e) => onChange({ ...filters, search: e.target.value })}
        />
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.status}>Status</label>
        <select id={ids.status} value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value })}>
          <option value="all">All</option>
          {INTERVIEW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.sort}>Sort by</label>
        <select
          id={ids.sort}
          value={filters.sort}
          onChange={(e) => onChange({ ...filters, sort: e.target.value as SortKey })}
        >
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
          <option value="score">Highest score</option>
        </select>
      </div>
    </div>
  );
}
