/** The Settings page's form: values as typed, validation, and the PATCH body. */
import { recruiterI18n } from '../i18n/recruiter';
import type { QuotaName, Quotas, WorkspaceSettings, WorkspaceSettingsPatch } from '../types';

export const MAX_DOMAINS = 20;
export const QUOTA_MAX = 1_000_000;
/** The API's bounds and default of `retention_days` (functions/interview_core/domain/retention.py). */
export const RETENTION_DAYS = { min: 1, max: 730, default: 180 } as const;

/** The quotas in the form's order; their words are the recruiter catalogue's `settings.quota.<name>`. */
const QUOTA_NAMES: QuotaName[] = ['interviews_per_day', 'live_interviews', 'evaluations_per_day', 'model_minutes_per_month'];

export const QUOTA_FIELDS: { name: QuotaName; label: string; hint: string }[] = QUOTA_NAMES.map((name) => ({
  name,
  label: recruiterI18n.t(`settings.quota.${name}.label`),
  hint: recruiterI18n.t(`settings.quota.${name}.hint`),
}));

export interface SettingsValues {
  /** As typed: one domain per line (commas and spaces also separate). */
  domains: string;
  allowDomainJoin: boolean;
  quotas: Record<QuotaName, string>;
  /** As typed: whole days. */
  retentionDays: string;
}

export type SettingsField = 'allowed_domains' | 'allow_domain_join' | `quotas.${QuotaName}` | 'retention_days';
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export function toValues(settings: WorkspaceSettings): SettingsValues {
  const quotas = {} as Record<QuotaName, string>;
  for (const { name } of QUOTA_FIELDS) quotas[name] = String(settings.quotas?.[name] ?? '');
  return {
    domains: (settings.allowed_domains ?? []).join('\n'),
    allowDomainJoin: Boolean(settings.allow_domain_join),
    quotas,
    retentionDays: String(settings.retention_days ?? RETENTION_DAYS.default),
  };
}

/** A host name of at least two labels, letters/digits/hyphens, as email domains are. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** The typed domains: split, trimmed, lower-cased, a leading "@" dropped, duplicates removed. */
export function parseDomains(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const domain = part.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
    if (domain) seen.add(domain);
  }
  return [...seen];
}

export function validateSettings(values: SettingsValues): SettingsErrors {
  const errors: SettingsErrors = {};
  const domains = parseDomains(values.domains);
  const bad = domains.filter((d) => !DOMAIN.test(d));
  if (bad.length > 0) {
    errors.allowed_domains = recruiterI18n.t('settings.errors.notDomains', { count: bad.length, domains: bad.join(', ') });
  } else if (domains.length > MAX_DOMAINS) {
    errors.allowed_domains = recruiterI18n.t('settings.errors.tooManyDomains', { max: MAX_DOMAINS, count: domains.length });
  }
  if (values.allowDomainJoin && domains.length === 0) {
    errors.allow_domain_join = recruiterI18n.t('settings.errors.noDomain');
  }
  for (const { name } of QUOTA_FIELDS) {
    const raw = values.quotas[name].trim();
    const n = Number(raw);
    if (!raw || !/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n > QUOTA_MAX) {
      errors[`quotas.${name}`] = recruiterI18n.t('settings.errors.quota', { max: QUOTA_MAX.toLocaleString('en') });
    }
  }
  const retention = retentionError(values.retentionDays);
  if (retention) errors.retention_days = retention;
  return errors;
}

/** Why `raw` is no retention period the API takes (whole days within its bounds), or null. */
export function retentionError(raw: string): string | null {
  const text = raw.trim();
  const days = Number(text);
  if (/^\d{1,4}$/.test(text) && days >= RETENTION_DAYS.min && days <= RETENTION_DAYS.max) return null;
  return recruiterI18n.t('settings.retention.error', { min: RETENTION_DAYS.min, max: RETENTION_DAYS.max });
}

export function toPatch(values: SettingsValues): WorkspaceSettingsPatch {
  const quotas = {} as Quotas;
  for (const { name } of QUOTA_FIELDS) quotas[name] = Number(values.quotas[name].trim());
  return {
    allowed_domains: parseDomains(values.domains),
    allow_domain_join: values.allowDomainJoin,
    quotas,
    retention_days: Number(values.retentionDays.trim()),
  };
}

/** The form field an API error's `field` names (`allowed_domains.3`, `quotas.live_interviews`, ...). */
export function settingsFieldForApiError(field: string | undefined): SettingsField | null {
  if (!field) return null;
  const path = field.replace(/\[(\w+)\]/g, '.$1').replace(/^(body|settings)\./, '');
  if (path.startsWith('allowed_domains')) return 'allowed_domains';
  if (path.startsWith('allow_domain_join')) return 'allow_domain_join';
  if (path === 'retention_days') return 'retention_days';
  const quota = QUOTA_FIELDS.find(({ name }) => path === `quotas.${name}` || path.startsWith(`quotas.${name}.`));
  return quota ? `quotas.${quota.name}` : null;
}
