import { config } from '../config';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { canSeeTraces } from '../team/roles';
import { useRole } from '../team/WorkspaceContext';
import type { InterviewDoc } from '../types';
import { experienceFigures, traceLink } from './experience';

/**
 * First-audio latency, turn p95, drops and model minutes; for admins and owners, the interview's trace
 * when a viewer is configured (the API leaves the trace id out for other roles too).
 */
export default function ExperiencePanel({
  interview,
  traceViewerUrl = config.traceViewerUrl,
}: {
  interview: InterviewDoc;
  traceViewerUrl?: string;
}) {
  const { t } = useRecruiterTranslation();
  const figures = experienceFigures(interview);
  const link = canSeeTraces(useRole()) ? traceLink(traceViewerUrl, interview.trace_id) : null;
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
