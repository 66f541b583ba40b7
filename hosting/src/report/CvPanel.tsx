import { useRecruiterTranslation } from '../i18n/recruiter';
import type { InterviewDoc } from '../types';

/** The candidate's CV as text, beside the transcript: what the plan's questions were drawn from. */
export function CvPanel({ interview }: { interview?: InterviewDoc | null }) {
  const { t } = useRecruiterTranslation();
  if (!interview?.cv || !interview.cv_text) return null;
  return (
    <section className="card cv-panel" aria-labelledby="cv-text-heading" data-testid="report-cv">
      <h2 id="cv-text-heading">{t('cvPanel.heading')}</h2>
      <p className="muted small">{t('cvPanel.about', { filename: interview.cv.filename, count: interview.cv.pages })}</p>
      <div className="cv-panel__text" tabIndex={0} role="region" aria-label={t('cvPanel.text')}>
        {interview.cv_text.split('\n').map((line, index) => (
          <p key={index}>{line || '\u00a0'}</p>
        ))}
      </div>
    </section>
  );
}
