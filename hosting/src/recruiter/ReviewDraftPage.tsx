import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, getInterview, type Credentials } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useWorkspace } from '../team/WorkspaceContext';
import type { InterviewDoc, ReviewPlan, SentInvite } from '../types';
import { CreatedInterviewPanel } from './CreateInterviewPage';
import { PlanReview } from './PlanReview';

/** The review's starting point from the stored interview (GET /api/interviews/{id}). */
export function reviewPlanOf(interview: InterviewDoc): ReviewPlan {
  return {
    id: interview.id,
    status: 'draft',
    plan_version: interview.plan_version ?? 1,
    plan_hash: interview.plan_hash,
    skills: interview.skills ?? [],
    question_plan: interview.question_plan ?? [],
    cv: interview.cv ?? null,
  };
}

type Loaded =
  | { kind: 'loading' }
  | { kind: 'failed'; notFound: boolean; message: string }
  | { kind: 'ready'; interview: InterviewDoc };

/**
 * /interviews/:id/review (recruiter+): a draft reopened from the dashboard, so a review can be left
 * and finished later. It reads the interview through the API (the plan as last saved, the CV) and
 * shows the same review as after creating it; an interview whose invite is already out says so and
 * links to its page, since its plan is frozen.
 */
export function ReviewDraftPage() {
  const { id = '' } = useParams();
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [sent, setSent] = useState<{ invite: SentInvite; plan: ReviewPlan } | null>(null);
  useDocumentTitle(sent ? t('reviewDraft.titleSent') : t('reviewDraft.title'));

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const interview = await getInterview(id, await credentials(), controller.signal);
        if (!controller.signal.aborted) setLoaded({ kind: 'ready', interview });
      } catch (cause) {
        if (controller.signal.aborted) return;
        const notFound = cause instanceof ApiError && cause.status === 404;
        setLoaded({ kind: 'failed', notFound, message: cause instanceof Error ? cause.message : String(cause) });
      }
    })();
    return () => controller.abort();
  }, [id, credentials]);

  return (
    <main className="page" id="main">
      <div className="page__header">
        <h1>{sent ? t('reviewDraft.titleSent') : t('reviewDraft.title')}</h1>
        <Link to="/" className="button button--ghost">
          {t('create.back')}
        </Link>
      </div>
      {loaded.kind === 'loading' && <Spinner label={t('reviewDraft.loading')} />}
      {loaded.kind === 'failed' && (
        <Banner kind="error">{loaded.notFound ? t('reviewDraft.notFound') : loaded.message}</Banner>
      )}
      {loaded.kind === 'ready' && (
        <DraftReview
          interview={loaded.interview}
          sent={sent}
          onSent={(invite, plan) => setSent({ invite, plan })}
          credentials={credentials}
        />
      )}
    </main>
  );
}

function DraftReview({
  interview,
  sent,
  onSent,
  credentials,
}: {
  interview: InterviewDoc;
  sent: { invite: SentInvite; plan: ReviewPlan } | null;
  onSent: (invite: SentInvite, plan: ReviewPlan) => void;
  credentials: () => Promise<Credentials>;
}) {
  const { t } = useRecruiterTranslation();
  const name = interview.candidate?.name ?? '';
  if (sent) {
    return (
      <CreatedInterviewPanel
        created={{
          id: sent.invite.id,
          invite_url: sent.invite.invite_url,
          expires_at: sent.invite.expires_at,
          skills: sent.plan.skills,
          question_plan: sent.plan.question_plan,
        }}
        summary={{
          name,
          email: interview.candidate?.email ?? '',
          role: interview.role ?? '',
          durationMinutes: interview.duration_minutes ?? 0,
        }}
      />
    );
  }
  if (interview.status !== 'draft') {
    return (
      <div className="card">
        <p>{t('reviewDraft.alreadySent', { name })}</p>
        <p>
          <Link to={`/reports/${encodeURIComponent(interview.id)}`}>{t('reviewDraft.openInterview')}</Link>
        </p>
      </div>
    );
  }
  return <PlanReview initial={reviewPlanOf(interview)} candidateName={name} credentials={credentials} onSent={onSent} />;
}
