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
  const candidateName = interview?.candidate?.name || 'Candidate';
  return (
    <article className="report">
      <IntegrityBanner report={report} onReview={onReview} />
      <section className="report__hero card" aria-labelledby="overall-heading">
        <h2 id="overall-heading" className="visually-hidden">
          Overall result
        </h2>
        <div className={`score-dial score-dial--${overall == null ? 'none' : scoreBand(overall)}`}>
          <span className="score-dial__value" data-testid="overall-score">
            {overall ?? '—'}
          </span>
          <span className="score-dial__unit">/ 100</span>
          <span className="visually-hidden">overall score</span>
        </div>
        <div className="report__verdict">
          <p className={`recommendation recommendation--${report.recommendation ?? 'none'}`} data-testid="recommendation">
            {report.withheld_recommendation && !report.recommendation
              ? 'Recommendation withheld until reviewed'
              : recommendationLabel(report.recommendation ?? undefined)}
          </p>
          {report.summary && <p className="report__summary">{report.summary}</p>}
        </div>
      </section>

      {competencies.length > 0 && (
        <section className="card" aria-labelledby="competencies-heading">
          <h2 id="competencies-heading">Competencies</h2>
          {axes.length >= 3 ? <RadarChart axes={axes} /> : <ScoreBars axes={axes} />}
        </section>
      )}

      {list(report.skills).length > 0 && (
        <section className="card" aria-labelledby="skills-heading">
          <h2 id="skills-heading">Skills</h2>
          <ul className="skill-scores">
            {list(report.skills).map((skill, i) => (
              <SkillScore key={`${skill.name}-${i}`} skill={skill} turns={turns} />
            ))}
          </ul>
        </section>
      )}

      <div className="report__lists">
        <FindingList title="Strengths" items={list(report.strengths)} kind="strengths" />
        <FindingList title="Weaknesses" items={list(report.weaknesses)} kind="weaknesses" />
        <FindingList title="Red flags" items={list(report.red_flags)} kind="red-flags" emptyText="None noted." />
        <FindingList title="Areas to improve" items={list(report.improvement_areas)} kind="improvement" />
      </div>

      <Coverage coverage={list(report.coverage)} />

      <div className={interview?.cv_text ? 'report__beside' : undefined}>
        <section className="card transcript-section" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">Transcript</h2>
          <Transcript turns={turns} startedAt={interview?.started_at} candidateName={candidateName} />
        </section>
        <CvPanel interview={interview} />
      </div>

      <footer className="report__provenance muted small">
        Written by{' '}
        <span data-testid="report-model">
          {report.model === 'none' ? 'the rules alone (no model was called)' : report.model || 'an unknown model'}
        </span>
        , prompt version{' '}
        <span data-testid="report-prompt-version">{report.prompt_version || 'unknown'}</span>
        {report.plan_version != null && (
          <>
            , interview plan{' '}
            <span data-testid="report-plan-version">
              version {report.plan_version}
              {report.plan_hash ? ` (${report.plan_hash})` : ''}
            </span>
          </>
        )}
        {report.created_at != null && <>, on {formatDateTime(report.created_at)}</>}. AI evaluations can be wrong:
        read the transcript before deciding.
      </footer>
    </article>
  );
}

function ScoreDots({ score, max = 5 }: { score: number | null; max?: number }) {
  if (score == null) return <span className="not-assessed">Not assessed</span>;
  return (
    <span className="score-dots" role="img" aria-label={`${score} of ${max}`}>
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
  return (
    <li className={`skill-score${score == null ? ' skill-score--missing' : ''}`} data-testid="skill-score">
      <div className="skill-score__head">
        <h3 className="skill-score__name">{skill.name || 'Unnamed skill'}</h3>
        <ScoreDots score={score} />
      </div>
      {skill.rationale && <p className="skill-score__rationale">{skill.rationale}</p>}
      {evidence.length > 0 && (
        <ul className="evidence" aria-label={`Evidence for ${skill.name}`}>
          {evidence.map((quote, i) => {
            const seq = findTurnForQuote(quote, turns);
            return (
              <li key={i}>
                <blockquote className="evidence__quote">
                  {seq != null ? (
                    <a href={`#${turnAnchor(seq)}`} className="evidence__link">
                      “{quote}”<span className="evidence__where"> (turn {seq})</span>
                    </a>
                  ) : (
                    <>
                      “{quote}”<span className="evidence__where muted"> (not found in the transcript)</span>
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
  emptyText = 'Nothing noted.',
}: {
  title: string;
  items: unknown[];
  kind: string;
  emptyText?: string;
}) {
  const texts = items.filter((i): i is string => typeof i === 'string' && i.trim() !== '');
  return (
    <section className={`card findings findings--${kind}`}>
      <h2>{title}</h2>
      {texts.length === 0 ? (
        <p className="muted">{emptyText}</p>
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
  coverage = coverage.filter((c) => c && typeof c.skill === 'string');
  if (coverage.length === 0) return null;
  const probed = coverage.filter((c) => c.probed);
  const missed = coverage.filter((c) => !c.probed);
  return (
    <section className="card" aria-labelledby="coverage-heading">
      <h2 id="coverage-heading">Coverage of the plan</h2>
      <p className="muted small">
        {probed.length} of {coverage.length} planned skills were probed.
      </p>
      <div className="coverage">
        <div>
          <h3>Probed</h3>
          {probed.length ? (
            <ul className="chips">
              {probed.map((c) => (
                <li key={c.skill} className="chip chip--ok">
                  {c.skill}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None</p>
          )}
        </div>
        <div>
          <h3>Not assessed</h3>
          {missed.length ? (
            <ul className="chips">
              {missed.map((c) => (
                <li key={c.skill} className="chip chip--missing">
                  {c.skill}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None: every planned skill was probed.</p>
          )}
        </div>
      </div>
    </section>
  );
}
