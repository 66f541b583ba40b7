import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { createInterview } from '../api';
import { CopyButton } from '../components/CopyButton';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { formatDateTime } from '../lib/time';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useWorkspace } from '../team/WorkspaceContext';
import type { CreatedInterview, CreateInterviewRequest, PlannedQuestion, Skill } from '../types';
import { CreateInterviewForm } from './CreateInterviewForm';
import { PlanReview } from './PlanReview';
import { SkillWeights } from './SkillWeights';

/** Who and what an invite is for, as the panel after sending it states it. */
export interface InviteSummary {
  name: string;
  email: string;
  role: string;
  durationMinutes: number;
}

export function CreateInterviewPage() {
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [created, setCreated] = useState<{ result: CreatedInterview; request: CreateInterviewRequest } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const reviewing = created != null && created.result.invite_url == null;
  const title = reviewing ? t('create.titleReview') : created ? t('create.titleCreated') : t('create.title');
  useDocumentTitle(title);
  return (
    <main className="page" id="main">
      <div className="page__header">
        <h1>{title}</h1>
        <Link to="/" className="button button--ghost">
          {t('create.back')}
        </Link>
      </div>
      {created && reviewing ? (
        <PlanReview
          initial={{
            id: created.result.id,
            status: created.result.status ?? 'draft',
            plan_version: created.result.plan_version ?? 1,
            plan_hash: created.result.plan_hash,
            skills: created.result.skills,
            question_plan: created.result.question_plan ?? [],
          }}
          candidateName={created.request.candidate.name}
          credentials={credentials}
          onSent={(sent, plan) =>
            setCreated({
              request: created.request,
              result: {
                ...created.result,
                invite_url: sent.invite_url,
                expires_at: sent.expires_at,
                status: sent.status,
                skills: plan.skills,
                question_plan: plan.question_plan,
              },
            })
          }
        />
      ) : created ? (
        <CreatedInterviewPanel
          created={created.result}
          summary={{
            name: created.request.candidate.name,
            email: created.request.candidate.email,
            role: created.request.role,
            durationMinutes: created.request.duration_minutes,
          }}
          onAnother={() => {
            setCreated(null);
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <div className="card">
          <CreateInterviewForm
            key={formKey}
            submit={async (request) => createInterview({ ...request, draft: true }, await credentials())}
            onCreated={(result, request) => setCreated({ result, request })}
          />
        </div>
      )}
    </main>
  );
}

/** The invite link, shown once after the invite is sent (only its secret's hash is stored). */
export function CreatedInterviewPanel({
  created,
  summary,
  onAnother,
}: {
  created: {
    id: string;
    invite_url: string | null;
    expires_at?: string;
    skills?: Skill[];
    question_plan?: PlannedQuestion[];
  };
  summary: InviteSummary;
  onAnother?: () => void;
}) {
  const { t } = useRecruiterTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading" ref={headingRef} tabIndex={-1}>
          {t('create.inviteHeading', { name: summary.name })}
        </h2>
        <p>
          {t('create.sendTo')} <strong>{summary.email}</strong>.{' '}
          {t('create.opens', { minutes: summary.durationMinutes })} <strong>{summary.role}</strong>.
        </p>
        <div className="invite-url">
          <label htmlFor="invite-url" className="visually-hidden">
            {t('create.inviteLink')}
          </label>
          <input id="invite-url" readOnly value={created.invite_url ?? ''} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={created.invite_url ?? ''} label={t('create.copyLink')} />
        </div>
        <p className="muted small">
          {created.expires_at && <>{t('create.worksUntil', { when: formatDateTime(created.expires_at) })} </>}
          {t('create.copyNow')}
        </p>
      </section>
      <section className="card" aria-labelledby="skills-heading">
        <h2 id="skills-heading">{t('create.skillsHeading')}</h2>
        <SkillWeights skills={created.skills ?? []} />
        {created.question_plan && created.question_plan.length > 0 && (
          <p className="muted small">{t('create.planned', { count: created.question_plan.length })}</p>
        )}
      </section>
      <div className="form__actions">
        <Link to="/" className="button button--primary">
          {t('create.goToInterviews')}
        </Link>
        <Link to={`/reports/${encodeURIComponent(created.id)}`} className="button button--secondary">
          {t('create.openInterview')}
        </Link>
        {onAnother && (
          <button type="button" className="button button--ghost" onClick={onAnother}>
            {t('create.another')}
          </button>
        )}
      </div>
    </div>
  );
}
