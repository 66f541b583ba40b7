import { useId } from 'react';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { STATUS_LABELS } from '../lib/labels';
import { INTERVIEW_STATUSES } from '../types';
import type { DashboardFilters, SortKey } from './dashboardFilters';

export function FilterBar({ filters, onChange }: { filters: DashboardFilters; onChange: (f: DashboardFilters) => void }) {
  const ids = { search: useId(), status: useId(), sort: useId() };
  const { t } = useRecruiterTranslation();
  return (
    <div className="filter-bar" role="search">
      <div className="field field--inline filter-bar__search">
        <label htmlFor={ids.search}>{t('filters.search')}</label>
        <input
          id={ids.search}
          type="search"
          placeholder={t('filters.searchPlaceholder')}
          value={filters.search}
          onChange={(e) => onChange({ ...filters, search: e.target.value })}
        />
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.status}>{t('filters.status')}</label>
        <select id={ids.status} value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value })}>
          <option value="all">{t('filters.all')}</option>
          {INTERVIEW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.sort}>{t('filters.sort')}</label>
        <select
          id={ids.sort}
          value={filters.sort}
          onChange={(e) => onChange({ ...filters, sort: e.target.value as SortKey })}
        >
          <option value="newest">{t('filters.newest')}</option>
          <option value="oldest">{t('filters.oldest')}</option>
          <option value="score">{t('filters.score')}</option>
        </select>
      </div>
    </div>
  );
}
