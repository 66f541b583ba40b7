import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { createInterview } from '../api';
import { CopyButton } from '../components/CopyButton';
import { formatDateTime } from '../lib/time';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useWorkspace } from '../team/WorkspaceContext';
import type { CreatedInterview, CreateInterviewRequest } from '../types';
import { CreateInterviewForm } from './CreateInterviewForm';
import { PlanReview } from './PlanReview';
import { SkillWeights } from './SkillWeights';

export function CreateInterviewPage() {
  const { credentials } = useWorkspace();
  const [created, setCreated] = useState<{ result: CreatedInterview; request: CreateInterviewRequest } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const reviewing = created != null && created.result.invite_url == null;
  const title = reviewing ? 'Review the interview' : created ? 'Interview created' : 'New interview';
  useDocumentTitle(title);
  return (
    <main className="page" id="main">
      <div className="page__header">
        <h1>{title}</h1>
        <Link to="/" className="button button--ghost">
          Back to interviews
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
          onSent={(sent) =>
            setCreated({
              request: created.request,
              result: { ...created.result, invite_url: sent.invite_url, expires_at: sent.expires_at, status: sent.status },
            })
          }
        />
      ) : created ? (
        <CreatedInterviewPanel
          created={created.result}
          request={created.request}
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

function CreatedInterviewPanel({
  created,
  request,
  onAnother,
}: {
  created: CreatedInterview;
  request: CreateInterviewRequest;
  onAnother: () => void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading" ref={headingRef} tabIndex={-1}>
          Invite link for {request.candidate.name}
        </h2>
        <p>
          Send this link to <strong>{request.candidate.email}</strong>. It opens a {request.duration_minutes}-minute voice
          interview for <strong>{request.role}</strong>.
        </p>
        <div className="invite-url">
          <label htmlFor="invite-url" className="visually-hidden">
            Invite link
          </label>
          <input id="invite-url" readOnly value={created.invite_url ?? ''} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={created.invite_url ?? ''} label="Copy link" />
        </div>
        <p className="muted small">
          {created.expires_at && <>The link works until {formatDateTime(created.expires_at)}. </>}
          Copy it now: only a fingerprint of the link's secret is stored, so it cannot be shown again.
        </p>
      </section>
      <section className="card" aria-labelledby="skills-heading">
        <h2 id="skills-heading">Skills the interview will assess</h2>
        <SkillWeights skills={created.skills ?? []} />
        {created.question_plan && created.question_plan.length > 0 && (
          <p className="muted small">
            The interviewer has planned {created.question_plan.length} questions around these skills, with follow-ups.
          </p>
        )}
      </section>
      <div className="form__actions">
        <Link to="/" className="button button--primary">
          Go to interviews
        </Link>
        <Link to={`/reports/${encodeURIComponent(created.id)}`} className="button button--secondary">
          Open this interview
        </Link>
        <button type="button" className="button button--ghost" onClick={onAnother}>
          Create another
        </button>
      </div>
    </div>
  );
}
