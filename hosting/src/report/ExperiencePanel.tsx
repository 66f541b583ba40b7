import { config } from '../config';
import { useRecruiterTranslation } from '../i18n/recruiter';
import type { InterviewDoc } from '../types';
import { experienceFigures, traceLink } from './experience';

/** First-audio latency, turn p95, drops and model minutes; the trace when a viewer is configured. */
export default function ExperiencePanel({ interview }: { interview: InterviewDoc }) {
  const { t } = useRecruiterTranslation();
  const figures = experienceFigures(interview);
  const link = traceLink(config.traceViewerUrl, interview.trace_id);
  if (figures.length === 0 && !link) return null;
  return (
    <dl className="facts" aria-label={t('interview.experienced')}>
      {figures.map((figure) => (
        <div key={figure.label}>
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
      {link && (
        <div>
          <dt>{t('interview.trace')}</dt>
          <dd>
            <a href={link} target="_blank" rel="noreferrer">
              {t('interview.openTrace')}
            </a>
          </dd>
        </div>
      )}
    </dl>
  );
}
