import { useState } from 'react';
import { cancelInterview, deleteInterview, reevaluateInterview, type Credentials } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { CANCELLABLE, REEVALUATABLE } from '../lib/labels';
import { canManageInterviews } from '../team/roles';
import { useWorkspace } from '../team/WorkspaceContext';
import type { InterviewDoc } from '../types';

type Action = 'cancel' | 'reevaluate' | 'delete';

interface InterviewActionsProps {
  interview: InterviewDoc;
  /** Which actions to offer; defaults to all that the status allows. */
  only?: Action[];
  onDone?: (action: Action) => void;
  compact?: boolean;
}

const RUN: Record<Action, (id: string, auth: Credentials) => Promise<unknown>> = {
  cancel: cancelInterview,
  reevaluate: reevaluateInterview,
  delete: deleteInterview,
};

export function allowedActions(status: string | undefined): Action[] {
  const actions: Action[] = [];
  if (status && CANCELLABLE.has(status)) actions.push('cancel');
  if (status && REEVALUATABLE.has(status)) actions.push('reevaluate');
  // The API refuses to delete a running interview (409): cancel it first.
  if (status !== 'in_progress') actions.push('delete');
  return actions;
}

/** Cancel, re-evaluate and delete, each behind a confirmation dialog; none for viewers. */
export function InterviewActions({ interview, only, onDone, compact = false }: InterviewActionsProps) {
  const { role, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [pending, setPending] = useState<Action | null>(null);
  const actions = canManageInterviews(role)
    ? allowedActions(interview.status).filter((a) => !only || only.includes(a))
    : [];
  if (actions.length === 0 && !pending) return null;
  const name = interview.candidate?.name || t('actions.theCandidate');
  const size = compact ? ' button--small' : '';
  return (
    <div className="actions">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className={`button ${action === 'delete' ? 'button--ghost-danger' : 'button--ghost'}${size}`}
          onClick={() => setPending(action)}
          aria-label={`${t(`actions.${action}.button`)}: ${interview.candidate?.name ?? interview.id}`}
        >
          {t(`actions.${action}.button`)}
        </button>
      ))}
      {pending && (
        <ConfirmDialog
          title={t(`actions.${pending}.title`)}
          confirmLabel={t(`actions.${pending}.confirm`)}
          cancelLabel={t('actions.keep')}
          danger={pending !== 'reevaluate'}
          onCancel={() => setPending(null)}
          onConfirm={async () => {
            await RUN[pending](interview.id, await credentials());
            const done = pending;
            setPending(null);
            onDone?.(done);
          }}
        >
          <p>{t(`actions.${pending}.body`, { name })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
