import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { Banner } from '../components/Banner';
import { Field } from '../components/Field';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { LANGUAGES, type CreatedInterview, type CreateInterviewRequest, type LanguageCode } from '../types';
import {
  bannerMessage,
  effectiveLength,
  fieldForApiError,
  fieldMessage,
  INITIAL_VALUES,
  LIMITS,
  validate,
  toRequest,
  FORM_FIELDS,
  type FieldErrors,
  type FormField,
  type FormValues,
} from './createForm';

interface CreateInterviewFormProps {
  /** Sends the request; rejects with an ApiError on failure. */
  submit: (request: CreateInterviewRequest) => Promise<CreatedInterview>;
  onCreated: (created: CreatedInterview, request: CreateInterviewRequest) => void;
}

export function CreateInterviewForm({ submit, onCreated }: CreateInterviewFormProps) {
  const { t } = useRecruiterTranslation();
  const [values, setValues] = useState<FormValues>(INITIAL_VALUES);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  function set<K extends keyof FormValues>(key: K, value: FormValues[K], field: FormField) {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[field]) setErrors(({ [field]: _removed, ...rest }) => rest);
  }

  function focusFirstInvalid(fieldErrors: FieldErrors) {
    const first = FORM_FIELDS.find((f) => fieldErrors[f]);
    if (!first) return;
    // Wait for React to render aria-invalid before moving focus.
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus());
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBanner(null);
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(found);
      return;
    }
    setBusy(true);
    const request = toRequest(values);
    try {
      const created = await submit(request);
      onCreated(created, request);
    } catch (cause) {
      const error =
        cause instanceof ApiError ? cause : new ApiError(0, 'unknown', cause instanceof Error ? cause.message : String(cause));
      const field = fieldForApiError(error.field);
      if (field) {
        const fieldErrors = { [field]: fieldMessage(error) };
        setErrors(fieldErrors);
        focusFirstInvalid(fieldErrors);
      } else {
        setBanner(bannerMessage(error));
      }
    } finally {
      setBusy(false);
    }
  }

  const jdLength = effectiveLength(values.jobDescription);
  const jdOver = jdLength > LIMITS.jobDescriptionMax;
  return (
    <form ref={formRef} className="form create-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
      {banner && (
        <Banner kind="error" onDismiss={() => setBanner(null)}>
          {banner}
        </Banner>
      )}
      <fieldset className="form__group">
        <legend>{t('createForm.candidate')}</legend>
        <div className="form__row">
          <Field label={t('createForm.name')} error={errors['candidate.name']}>
            {(p) => (
              <input
                {...p}
                data-field="candidate.name"
                value={values.candidateName}
                maxLength={LIMITS.nameMax + 20}
                autoComplete="off"
                onChange={(e) => set('candidateName', e.target.value, 'candidate.name')}
              />
            )}
          </Field>
          <Field label={t('createForm.email')} error={errors['candidate.email']} hint={t('createForm.emailHint')}>
            {(p) => (
              <input
                {...p}
                data-field="candidate.email"
                type="email"
                inputMode="email"
                autoComplete="off"
                value={values.candidateEmail}
                onChange={(e) => set('candidateEmail', e.target.value, 'candidate.email')}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <fieldset className="form__group">
        <legend>{t('createForm.position')}</legend>
        <Field label={t('createForm.role')} error={errors.role}>
          {(p) => (
            <input
              {...p}
              data-field="role"
              value={values.role}
              placeholder={t('createForm.rolePlaceholder')}
              onChange={(e) => set('role', e.target.value, 'role')}
            />
          )}
        </Field>
        <Field
          label={t('createForm.jobDescription')}
          error={errors.job_description}
          hint={t('createForm.jobDescriptionHint')}
          aside={
            <span className={jdOver ? 'counter counter--over' : 'counter'} aria-live="polite">
              {jdLength.toLocaleString('en')} / {LIMITS.jobDescriptionMax.toLocaleString('en')}
            </span>
          }
        >
          {(p) => (
            <textarea
              {...p}
              data-field="job_description"
              rows={12}
              value={values.jobDescription}
              onChange={(e) => set('jobDescription', e.target.value, 'job_description')}
            />
          )}
        </Field>
        <div className="form__row">
          <Field label={t('createForm.language')} error={errors.language}>
            {(p) => (
              <select
                {...p}
                data-field="language"
                value={values.language}
                onChange={(e) => set('language', e.target.value as LanguageCode, 'language')}
              >
                {LANGUAGES.map((l) => (
                  <option key={l.code} value={l.code}>
                    {l.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('createForm.duration')}
            error={errors.duration_minutes}
            hint={t('createForm.durationHint', { min: LIMITS.durationMin, max: LIMITS.durationMax })}
          >
            {(p) => (
              <input
                {...p}
                data-field="duration_minutes"
                type="number"
                inputMode="numeric"
                min={LIMITS.durationMin}
                max={LIMITS.durationMax}
                step={1}
                value={values.durationMinutes}
                onChange={(e) => set('durationMinutes', e.target.value, 'duration_minutes')}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('createForm.creating') : t('createForm.create')}
        </button>
      </div>
    </form>
  );
}
