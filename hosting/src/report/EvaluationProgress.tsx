import { useRecruiterTranslation } from '../i18n/recruiter';

/** The steps shown, in order; their words are the catalogue's `progress.steps`. */
const STEPS = ['completed', 'queued', 'evaluating', 'evaluated'] as const;

/** Progress while an interview is completed (queued) or evaluating; the page updates live. */
export function EvaluationProgress({ status, attempts }: { status: string; attempts?: number }) {
  const current = status === 'evaluating' ? 2 : 1;
  const { t } = useRecruiterTranslation();
  return (
    <section className="card evaluation-progress" aria-labelledby="progress-heading" aria-live="polite">
      <h2 id="progress-heading">
        {status === 'evaluating' ? t('progress.evaluating') : t('progress.queued')}
      </h2>
      <ol className="steps">
        {STEPS.map((step, i) => (
          <li
            key={step}
            className={i < current ? 'steps__item steps__item--done' : i === current ? 'steps__item steps__item--current' : 'steps__item'}
            aria-current={i === current ? 'step' : undefined}
          >
            {t(`progress.steps.${step}`)}
          </li>
        ))}
      </ol>
      <div className="progress-bar" aria-hidden="true">
        <span className="progress-bar__indeterminate" />
      </div>
      <p className="muted small">
        {t('progress.usually')}
        {attempts && attempts > 1 ? ` ${t('progress.attempt', { attempts })}` : ''}
      </p>
    </section>
  );
}
