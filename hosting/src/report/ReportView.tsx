import { useRecruiterTranslation } from '../i18n/recruiter';
import { recommendationLabel } from '../lib/labels';
import { formatDateTime } from '../lib/time';
import { CvPanel } from './CvPanel';
import type { InterviewDoc, ReportDoc, SkillAssessment, TurnDoc } from '../types';
import { IntegrityBanner } from './IntegrityBanner';
import { findTurnForQuote, turnAnchor } from './quotes';
import { RadarChart } from './RadarChart';
import type { RadarAxis } from './radar';
import { Transcript } from './Transcript';

interface ReportViewProps {
  report: ReportDoc;
  interview?: InterviewDoc | null;
  turns: TurnDoc[];
  /** Marks a report whose integrity asks for it reviewed (recruiters and above). */
  onReview?: () => Promise<void>;
}

const list = <T,>(value: T[] | undefined | null): T[] => (Array.isArray(value) ? value : []);

function scoreOf(item: SkillAssessment): number | null {
  return typeof item.score === 'number' && Number.isFinite(item.score) ? item.score : null;
}

function scoreBand(score: number): 'high' | 'mid' | 'low' {
  return score >= 70 ? 'high' : score >= 45 ? 'mid' : 'low';
}

/** The evaluated report: pure rendering of the report, the interview and its turns. */
export function ReportView({ report, interview, turns, onReview }: ReportViewProps) {
  const competencies = list(report.competencies).length > 0 ? list(report.competencies) : list(report.skills);
  const axes: RadarAxis[] = competencies.map((c) => ({ name: c.name ?? '—', score: scoreOf(c) }));
  const overall = typeof report.overall_score === 'number' ? Math.round(report.overall_score) : null;
  const { t } = useRecruiterTranslation();
  const candidateName = interview?.candidate?.name || t('report.candidate');
  return (
    <article className="report">
      <IntegrityBanner report={report} onReview={onReview} />
      <section className="report__hero card" aria-labelledby="overall-heading">
        <h2 id="overall-heading" className="visually-hidden">
          {t('report.overall')}
        </h2>
        <div className={`score-dial score-dial--${overall == null ? 'none' : scoreBand(overall)}`}>
          <span className="score-dial__value" data-testid="overall-score">
            {overall ?? '—'}
          </span>
          <span className="score-dial__unit">/ 100</span>
          <span className="visually-hidden">{t('report.overallScore')}</span>
        </div>
        <div className="report__verdict">
          <p className={`recommendation recommendation--${report.recommendation ?? 'none'}`} data-testid="recommendation">
            {report.withheld_recommendation && !report.recommendation
              ? t('report.withheld')
              : recommendationLabel(report.recommendation ?? undefined)}
          </p>
          {report.summary && <p className="report__summary">{report.summary}</p>}
        </div>
      </section>

      {competencies.length > 0 && (
        <section className="card" aria-labelledby="competencies-heading">
          <h2 id="competencies-heading">{t('report.competencies')}</h2>
          {axes.length >= 3 ? <RadarChart axes={axes} /> : <ScoreBars axes={axes} />}
        </section>
      )}

      {list(report.skills).length > 0 && (
        <section className="card" aria-labelledby="skills-heading">
          <h2 id="skills-heading">{t('report.skills')}</h2>
          <ul className="skill-scores">
            {list(report.skills).map((skill, i) => (
              <SkillScore key={`${skill.name}-${i}`} skill={skill} turns={turns} />
            ))}
          </ul>
        </section>
      )}

      <div className="report__lists">
        <FindingList title={t('report.strengths')} items={list(report.strengths)} kind="strengths" />
        <FindingList title={t('report.weaknesses')} items={list(report.weaknesses)} kind="weaknesses" />
        <FindingList
          title={t('report.redFlags')}
          items={list(report.red_flags)}
          kind="red-flags"
          emptyText={t('report.noneNoted')}
        />
        <FindingList title={t('report.improvement')} items={list(report.improvement_areas)} kind="improvement" />
      </div>

      <Coverage coverage={list(report.coverage)} />

      <div className={interview?.cv_text ? 'report__beside' : undefined}>
        <section className="card transcript-section" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">{t('report.transcript')}</h2>
          <Transcript turns={turns} startedAt={interview?.started_at} candidateName={candidateName} />
        </section>
        <CvPanel interview={interview} />
      </div>

      <footer className="report__provenance muted small">
        {t('report.writtenBy')}{' '}
        <span data-testid="report-model">
          {report.model === 'none' ? t('report.rulesAlone') : report.model || t('report.unknownModel')}
        </span>
        , {t('report.promptVersion')}{' '}
        <span data-testid="report-prompt-version">{report.prompt_version || t('report.unknown')}</span>
        {report.plan_version != null && (
          <>
            , {t('report.interviewPlan')}{' '}
            <span data-testid="report-plan-version">
              {t('report.planVersion', { version: report.plan_version })}
              {report.plan_hash ? ` (${report.plan_hash})` : ''}
            </span>
          </>
        )}
        {report.created_at != null && <>, {t('report.on', { when: formatDateTime(report.created_at) })}</>}.{' '}
        {t('report.mayBeWrong')}
      </footer>
    </article>
  );
}

function ScoreDots({ score, max = 5 }: { score: number | null; max?: number }) {
  const { t } = useRecruiterTranslation();
  if (score == null) return <span className="not-assessed">{t('report.notAssessed')}</span>;
  return (
    <span className="score-dots" role="img" aria-label={t('report.scoreOf', { score, max })}>
      {Array.from({ length: max }, (_, i) => (
        <span key={i} className={i < Math.round(score) ? 'score-dots__dot score-dots__dot--on' : 'score-dots__dot'} aria-hidden="true" />
      ))}
      <span className="score-dots__value" aria-hidden="true">
        {score}/{max}
      </span>
    </span>
  );
}

function ScoreBars({ axes }: { axes: RadarAxis[] }) {
  return (
    <ul className="score-bars">
      {axes.map((axis) => (
        <li key={axis.name}>
          <span className="score-bars__name">{axis.name}</span>
          <ScoreDots score={axis.score} />
        </li>
      ))}
    </ul>
  );
}

function SkillScore({ skill, turns }: { skill: SkillAssessment; turns: TurnDoc[] }) {
  const score = scoreOf(skill);
  const evidence = list(skill.evidence).filter((q): q is string => typeof q === 'string' && q.trim() !== '');
  const { t } = useRecruiterTranslation();
  return (
    <li className={`skill-score${score == null ? ' skill-score--missing' : ''}`} data-testid="skill-score">
      <div className="skill-score__head">
        <h3 className="skill-score__name">{skill.name || t('report.unnamedSkill')}</h3>
        <ScoreDots score={score} />
      </div>
      {skill.rationale && <p className="skill-score__rationale">{skill.rationale}</p>}
      {evidence.length > 0 && (
        <ul className="evidence" aria-label={t('report.evidenceFor', { skill: skill.name })}>
          {evidence.map((quote, i) => {
            const seq = findTurnForQuote(quote, turns);
            return (
              <li key={i}>
                <blockquote className="evidence__quote">
                  {seq != null ? (
                    <a href={`#${turnAnchor(seq)}`} className="evidence__link">
                      “{quote}”<span className="evidence__where"> ({t('report.turn', { seq })})</span>
                    </a>
                  ) : (
                    <>
                      “{quote}”<span className="evidence__where muted"> ({t('report.quoteNotFound')})</span>
                    </>
                  )}
                </blockquote>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

function FindingList({
  title,
  items,
  kind,
  emptyText,
}: {
  title: string;
  items: unknown[];
  kind: string;
  emptyText?: string;
}) {
  const texts = items.filter((i): i is string => typeof i === 'string' && i.trim() !== '');
  const { t } = useRecruiterTranslation();
  return (
    <section className={`card findings findings--${kind}`}>
      <h2>{title}</h2>
      {texts.length === 0 ? (
        <p className="muted">{emptyText ?? t('report.nothingNoted')}</p>
      ) : (
        <ul>
          {texts.map((text, i) => (
            <li key={i}>{text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Coverage({ coverage }: { coverage: { skill: string; probed: boolean }[] }) {
  const { t } = useRecruiterTranslation();
  coverage = coverage.filter((c) => c && typeof c.skill === 'string');
  if (coverage.length === 0) return null;
  const probed = coverage.filter((c) => c.probed);
  const missed = coverage.filter((c) => !c.probed);
  return (
    <section className="card" aria-labelledby="coverage-heading">
      <h2 id="coverage-heading">{t('report.coverage')}</h2>
      <p className="muted small">{t('report.probedCount', { probed: probed.length, count: coverage.length })}</p>
      <div className="coverage">
        <div>
          <h3>{t('report.probed')}</h3>
          {probed.length ? (
            <ul className="chips">
              {probed.map((c) => (
                <li key={c.skill} className="chip chip--ok">
                  {c.skill}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('report.none')}</p>
          )}
        </div>
        <div>
          <h3>{t('report.notAssessed')}</h3>
          {missed.length ? (
            <ul className="chips">
              {missed.map((c) => (
                <li key={c.skill} className="chip chip--missing">
                  {c.skill}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('report.allProbed')}</p>
          )}
        </div>
      </div>
    </section>
  );
}
