import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, getWorkspace, getWorkspaceUsage, updateWorkspaceSettings } from '../api';
import { Banner } from '../components/Banner';
import { CopyButton } from '../components/CopyButton';
import { Field } from '../components/Field';
import { Spinner } from '../components/Spinner';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { resetPhrase } from '../lib/quota';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import '../styles/team.css';
import type { QuotaName, WorkspaceSettings, WorkspaceUsage } from '../types';
import {
  MAX_DOMAINS,
  QUOTA_FIELDS,
  RETENTION_DAYS,
  settingsFieldForApiError,
  toPatch,
  toValues,
  validateSettings,
  type SettingsErrors,
  type SettingsValues,
} from './settingsForm';
import { WebhooksSection } from './WebhooksSection';
import { useWorkspace } from './WorkspaceContext';

/** /settings (admins and owners): who may join by domain, the team's quotas and their use. */
export default function SettingsPage() {
  const { workspace, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  useDocumentTitle(t('settings.documentTitle'));
  const [settings, setSettings] = useState<WorkspaceSettings | null>(null);
  const [usage, setUsage] = useState<WorkspaceUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [usageError, setUsageError] = useState<string | null>(null);
  const [usageVersion, setUsageVersion] = useState(0);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const info = await getWorkspace(await credentials(), controller.signal);
        if (controller.signal.aborted) return;
        if (info.settings) setSettings(info.settings);
        else setError(t('settings.notAvailable'));
      } catch (cause) {
        if (!controller.signal.aborted) setError(cause instanceof Error ? cause.message : String(cause));
      }
    })();
    return () => controller.abort();
  }, [credentials, t]);

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const answer = await getWorkspaceUsage(await credentials(), controller.signal);
        if (!controller.signal.aborted) {
          setUsage(answer);
          setUsageError(null);
        }
      } catch (cause) {
        if (!controller.signal.aborted) setUsageError(cause instanceof Error ? cause.message : String(cause));
      }
    })();
    return () => controller.abort();
  }, [credentials, usageVersion]);

  const onSaved = useCallback((next: WorkspaceSettings) => {
    // The form starts again from what the API stored (domains normalised, say).
    setSettings(next);
    setSaved(true);
    setUsageVersion((v) => v + 1);
  }, []);

  return (
    <main className="page team-page" id="main">
      <div className="page__header">
        <h1>{t('settings.heading', { team: workspace.name })}</h1>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      <UsagePanel usage={usage} error={usageError} />
      {!settings && !error && <Spinner label={t('settings.loading')} />}
      {saved && (
        <Banner kind="success" onDismiss={() => setSaved(false)}>
          {t('settings.saved')}
        </Banner>
      )}
      {settings && (
        <SettingsForm key={JSON.stringify(settings)} settings={settings} onSaved={onSaved} onEdit={() => setSaved(false)} />
      )}
      <WebhooksSection />
    </main>
  );
}

const USED: Record<QuotaName, keyof WorkspaceUsage['used']> = {
  interviews_per_day: 'interviews_today',
  live_interviews: 'live_interviews',
  evaluations_per_day: 'evaluations_today',
  model_minutes_per_month: 'model_minutes_this_month',
};

function UsagePanel({ usage, error }: { usage: WorkspaceUsage | null; error: string | null }) {
  const { t } = useRecruiterTranslation();
  return (
    <section className="card" aria-labelledby="usage-heading">
      <h2 id="usage-heading">{t('settings.usageHeading')}</h2>
      {error && <Banner kind="error">{error}</Banner>}
      {!usage && !error && <Spinner label={t('settings.usageLoading')} />}
      {usage && (
        <ul className="usage-list">
          {QUOTA_FIELDS.map(({ name, label }) => {
            const limit = usage.limits[name] ?? 0;
            const used = usage.used[USED[name]] ?? 0;
            const ratio = limit > 0 ? Math.min(1, used / limit) : 1;
            const reset = name === 'live_interviews' ? null : name === 'model_minutes_per_month' ? usage.resets.month : usage.resets.day;
            const resetDate = reset ? new Date(reset) : null;
            return (
              <li key={name} className="usage-list__item">
                <div className="usage-list__head">
                  <span>{label}</span>
                  <span className="usage-list__value">
                    {t('settings.usedOf', { used: Math.round(used).toLocaleString(), limit: limit.toLocaleString() })}
                  </span>
                </div>
                <div
                  className={`meter${ratio >= 1 ? ' meter--full' : ratio >= 0.8 ? ' meter--high' : ''}`}
                  role="meter"
                  aria-label={label}
                  aria-valuemin={0}
                  aria-valuemax={limit}
                  aria-valuenow={Math.min(used, limit)}
                  aria-valuetext={t('settings.usedOf', { used, limit })}
                >
                  <span className="meter__fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
                </div>
                <p className="muted small">
                  {resetDate && !Number.isNaN(resetDate.getTime())
                    ? t('settings.resets', { when: resetPhrase(resetDate) })
                    : name === 'live_interviews'
                      ? t('settings.runningNow')
                      : ''}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

interface SettingsFormProps {
  settings: WorkspaceSettings;
  onSaved: (settings: WorkspaceSettings) => void;
  /** The form was submitted again: an earlier "saved" notice is out of date. */
  onEdit: () => void;
}

function SettingsForm({ settings, onSaved, onEdit }: SettingsFormProps) {
  const { workspace, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [values, setValues] = useState<SettingsValues>(() => toValues(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const joinLink = `${window.location.origin}/join/${encodeURIComponent(workspace.id)}`;

  function clear(field: keyof SettingsErrors) {
    if (errors[field]) setErrors(({ [field]: _removed, ...rest }) => rest);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBanner(null);
    onEdit();
    const found = validateSettings(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = await updateWorkspaceSettings(toPatch(values), await credentials());
      onSaved(saved ?? { ...settings, ...toPatch(values) });
    } catch (cause) {
      const field = cause instanceof ApiError ? settingsFieldForApiError(cause.field) : null;
      if (field && cause instanceof ApiError) setErrors({ [field]: cause.message });
      else setBanner(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form card" onSubmit={onSubmit} noValidate aria-busy={busy} aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('settings.formHeading')}</h2>
      {banner && (
        <Banner kind="error" onDismiss={() => setBanner(null)}>
          {banner}
        </Banner>
      )}
      <fieldset className="form__group">
        <legend>{t('settings.domainLegend')}</legend>
        <Field
          label={t('settings.domains')}
          error={errors.allowed_domains}
          hint={t('settings.domainsHint', { max: MAX_DOMAINS })}
        >
          {(p) => (
            <textarea
              {...p}
              rows={4}
              className="settings__domains"
              value={values.domains}
              spellCheck={false}
              onChange={(e) => {
                setValues((v) => ({ ...v, domains: e.target.value }));
                clear('allowed_domains');
                clear('allow_domain_join');
              }}
            />
          )}
        </Field>
        <div className={`checkbox${errors.allow_domain_join ? ' checkbox--invalid' : ''}`}>
          <input
            id="allow-domain-join"
            type="checkbox"
            checked={values.allowDomainJoin}
            aria-invalid={errors.allow_domain_join ? true : undefined}
            aria-describedby={errors.allow_domain_join ? 'allow-domain-join-error' : 'allow-domain-join-hint'}
            onChange={(e) => {
              setValues((v) => ({ ...v, allowDomainJoin: e.target.checked }));
              clear('allow_domain_join');
            }}
          />
          <div>
            <label htmlFor="allow-domain-join">{t('settings.allowDomainJoin')}</label>
            <p className="field-hint" id="allow-domain-join-hint">
              {t('settings.allowDomainJoinHint')}
            </p>
            {errors.allow_domain_join && (
              <p className="field-error" id="allow-domain-join-error">
                {errors.allow_domain_join}
              </p>
            )}
          </div>
        </div>
        {settings.allow_domain_join && settings.allowed_domains.length > 0 && (
          <div>
            <p className="small">{t('settings.joinLinkIntro')}</p>
            <div className="invite-url">
              <label htmlFor="domain-join-link" className="visually-hidden">
                {t('settings.joinLink')}
              </label>
              <input id="domain-join-link" readOnly value={joinLink} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={joinLink} label={t('create.copyLink')} />
            </div>
          </div>
        )}
      </fieldset>
      <fieldset className="form__group">
        <legend>{t('settings.quotas')}</legend>
        <div className="form__row">
          {QUOTA_FIELDS.map(({ name, label, hint }) => (
            <Field key={name} label={label} error={errors[`quotas.${name}`]} hint={hint}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  step={1}
                  value={values.quotas[name]}
                  onChange={(e) => {
                    setValues((v) => ({ ...v, quotas: { ...v.quotas, [name]: e.target.value } }));
                    clear(`quotas.${name}`);
                  }}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset className="form__group">
        <legend>{t('settings.retention.legend')}</legend>
        <Field
          label={t('settings.retention.label')}
          error={errors.retention_days}
          hint={t('settings.retention.hint', { ...RETENTION_DAYS })}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="numeric"
              min={RETENTION_DAYS.min}
              max={RETENTION_DAYS.max}
              step={1}
              value={values.retentionDays}
              onChange={(e) => {
                setValues((v) => ({ ...v, retentionDays: e.target.value }));
                clear('retention_days');
              }}
            />
          )}
        </Field>
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('settings.saving') : t('settings.save')}
        </button>
      </div>
    </form>
  );
}
