const STEPS = [
  { key: 'completed', label: 'Interview finished' },
  { key: 'queued', label: 'Evaluation queued' },
  { key: 'evaluating', label: 'AI is reading the transcript and scoring the skills' },
  { key: 'evaluated', label: 'Report ready' },
] as const;

/** Progress while an interview is completed (queued) or evaluating; the page updates live. */
export function EvaluationProgress({ status, attempts }: { status: string; attempts?: number }) {
  const current = status === 'evaluating' ? 2 : 1;
  return (
    <section className="card evaluation-progress" aria-labelledby="progress-heading" aria-live="polite">
      <h2 id="progress-heading">
        {status === 'evaluating' ? 'Evaluating the interview…' : 'The interview is over; the evaluation starts shortly…'}
      </h2>
      <ol className="steps">
        {STEPS.map((step, i) => (
          <li
            key={step.key}
            className={i < current ? 'steps__item steps__item--done' : i === current ? 'steps__item steps__item--current' : 'steps__item'}
            aria-current={i === current ? 'step' : undefined}
          >
            {step.label}
          </li>
        ))}
      </ol>
      <div className="progress-bar" aria-hidden="true">
        <span className="progress-bar__indeterminate" />
      </div>
      <p className="muted small">
        This usually takes under a minute. This page updates by itself.
        {attempts && attempts > 1 ? ` Attempt ${attempts}.` : ''}
      </p>
    </section>
  );
}
