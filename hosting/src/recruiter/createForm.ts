/**
 * The create form's rules, mirroring CreateInterviewRequest (functions/interview_core/domain/models.py),
 * and the mapping of the API's dotted `field` paths onto the form's inputs. Pure: tested directly.
 */
import { recruiterI18n } from '../i18n/recruiter';
import { LANGUAGES, type CreateInterviewRequest, type LanguageCode } from '../types';

export const LIMITS = {
  nameMax: 120,
  roleMin: 2,
  roleMax: 120,
  jobDescriptionMin: 30,
  jobDescriptionMax: 20_000,
  durationMin: 5,
  durationMax: 60,
} as const;

export const FORM_FIELDS = [
  'candidate.name',
  'candidate.email',
  'role',
  'job_description',
  'language',
  'duration_minutes',
] as const;

export type FormField = (typeof FORM_FIELDS)[number];

export interface FormValues {
  candidateName: string;
  candidateEmail: string;
  role: string;
  jobDescription: string;
  language: LanguageCode;
  durationMinutes: string;
}

export type FieldErrors = Partial<Record<FormField, string>>;

export const INITIAL_VALUES: FormValues = {
  candidateName: '',
  candidateEmail: '',
  role: '',
  jobDescription: '',
  language: 'en',
  durationMinutes: '20',
};

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
// Deliberately simple: the API validates properly (EmailStr); this catches typos early.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The length the API will see (it strips surrounding whitespace). */
export function effectiveLength(text: string): number {
  return text.trim().length;
}

/** A message of the catalogue's `createForm.errors` section. */
function message(key: string, values: Record<string, string | number> = {}): string {
  return recruiterI18n.t(`createForm.errors.${key}`, values);
}

export function validate(values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  const name = values.candidateName.trim();
  if (!name) errors['candidate.name'] = message('nameMissing');
  else if (name.length > LIMITS.nameMax) errors['candidate.name'] = message('tooLong', { max: LIMITS.nameMax });
  else if (CONTROL_CHARS.test(name)) errors['candidate.name'] = message('controlChars');

  const email = values.candidateEmail.trim();
  if (!email) errors['candidate.email'] = message('emailMissing');
  else if (!EMAIL.test(email)) errors['candidate.email'] = message('emailInvalid');

  const role = values.role.trim();
  if (role.length < LIMITS.roleMin) errors.role = message('roleMissing');
  else if (role.length > LIMITS.roleMax) errors.role = message('tooLong', { max: LIMITS.roleMax });
  else if (CONTROL_CHARS.test(role)) errors.role = message('controlChars');

  const jd = effectiveLength(values.jobDescription);
  if (jd < LIMITS.jobDescriptionMin) {
    errors.job_description = message('jobDescriptionShort', { min: LIMITS.jobDescriptionMin, now: jd });
  } else if (jd > LIMITS.jobDescriptionMax) {
    errors.job_description = message('jobDescriptionLong', {
      max: LIMITS.jobDescriptionMax.toLocaleString('en'),
      now: jd.toLocaleString('en'),
    });
  }

  if (!LANGUAGES.some((l) => l.code === values.language)) errors.language = message('languageMissing');

  const duration = Number(values.durationMinutes);
  if (
    values.durationMinutes.trim() === '' ||
    !Number.isInteger(duration) ||
    duration < LIMITS.durationMin ||
    duration > LIMITS.durationMax
  ) {
    errors.duration_minutes = message('duration', { min: LIMITS.durationMin, max: LIMITS.durationMax });
  }
  return errors;
}

export function toRequest(values: FormValues): CreateInterviewRequest {
  return {
    candidate: { name: values.candidateName.trim(), email: values.candidateEmail.trim() },
    role: values.role.trim(),
    job_description: values.jobDescription.trim(),
    language: values.language,
    duration_minutes: Number(values.durationMinutes),
  };
}

/**
 * The form field an API error's `field` points at, or null when it is not one of ours (then the
 * error is shown as a banner). Accepts `candidate.email`, `body.candidate.email`,
 * `candidate[email]`, `candidate/email` and deeper paths such as `candidate.email.domain`.
 */
export function fieldForApiError(field: string | undefined | null): FormField | null {
  if (!field) return null;
  const path = field
    .replace(/\[(\w+)\]/g, '.$1')
    .replace(/[/]/g, '.')
    .replace(/^(body|request|\$)\./, '')
    .replace(/^\.+|\.+$/g, '');
  for (const known of FORM_FIELDS) {
    if (path === known || path.startsWith(`${known}.`)) return known;
  }
  if (path === 'candidate') return 'candidate.name';
  return null;
}

/**
 * The message to show at a field: the API's 422 messages start with the field's path
 * ("candidate.email: value is not a valid email address"), which is redundant next to the input.
 */
export function fieldMessage(error: { message: string; field?: string }): string {
  const prefix = error.field ? `${error.field}: ` : '';
  const text = prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : error.message;
}

/** Text for an API error without a usable field (or anything else), for the banner. */
export function bannerMessage(error: { message: string; field?: string }): string {
  if (error.field && !fieldForApiError(error.field) && !error.message.startsWith(`${error.field}:`)) {
    return `${error.field}: ${error.message}`;
  }
  return error.message;
}
