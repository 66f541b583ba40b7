import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  changeMemberRole,
  createInvitation,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
} from '../api';
import { Banner } from '../components/Banner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton } from '../components/CopyButton';
import { Spinner } from '../components/Spinner';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { formatDateTime } from '../lib/time';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import '../styles/team.css';
import type { CreatedInvitation, Invitation, InvitableRole, Member, Role } from '../types';
import { memberErrorMessage, validateInviteEmail } from './memberErrors';
import { assignableRoles, canEditMember, INVITABLE_ROLES, roleLabel, ROLE_DESCRIPTIONS } from './roles';
import { useWorkspace } from './WorkspaceContext';

interface Loaded {
  members: Member[];
  invitations: Invitation[];
}

/** /members (admins and owners): the team's members, invitations, role changes and removals. */
export default function MembersPage() {
  const { workspace, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  useDocumentTitle(t('members.documentTitle'));
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const auth = await credentials();
        const [members, invitations] = await Promise.all([
          listMembers(auth, controller.signal),
          listInvitations(auth, controller.signal),
        ]);
        if (controller.signal.aborted) return;
        setData({ members: members.members, invitations: invitations.invitations });
        setLoadError(null);
      } catch (cause) {
        if (!controller.signal.aborted) setLoadError(memberErrorMessage(cause));
      }
    })();
    return () => controller.abort();
  }, [credentials, version]);

  return (
    <main className="page team-page" id="main">
      <div className="page__header">
        <h1>{t('members.heading', { team: workspace.name })}</h1>
        <Link to="/audit">{t('nav.auditLog')}</Link>
      </div>
      <InviteForm onInvited={refresh} />
      {loadError && <Banner kind="error">{loadError}</Banner>}
      {!data && !loadError && <Spinner label={t('members.loading')} />}
      {data && (
        <>
          <MemberList members={data.members} onChanged={refresh} />
          <PendingInvitations invitations={data.invitations.filter((i) => i.status === 'pending')} onChanged={refresh} />
        </>
      )}
    </main>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const ids = { email: useId(), role: useId(), emailError: useId(), roleHint: useId() };
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitableRole>('recruiter');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const invalid = validateInviteEmail(email);
    setError(invalid);
    if (invalid) return;
    setBusy(true);
    setCreated(null);
    try {
      const invitation = await createInvitation({ email: email.trim().toLowerCase(), role }, await credentials());
      setCreated(invitation);
      setEmail('');
      onInvited();
    } catch (cause) {
      setError(memberErrorMessage(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('members.inviteHeading')}</h2>
      <form className="invite-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor={ids.email}>{t('members.email')}</label>
          <input
            id={ids.email}
            type="email"
            inputMode="email"
            autoComplete="off"
            value={email}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? ids.emailError : undefined}
            onChange={(e) => {
              setEmail(e.target.value);
              setError(null);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t('members.role')}</label>
          <select id={ids.role} value={role} aria-describedby={ids.roleHint} onChange={(e) => setRole(e.target.value as InvitableRole)}>
            {INVITABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('members.inviting') : t('members.invite')}
        </button>
      </form>
      <p className="field-hint" id={ids.roleHint}>
        {roleLabel(role)}: {ROLE_DESCRIPTIONS[role]}.
      </p>
      {error && (
        <p className="field-error" id={ids.emailError} role="alert">
          {error}
        </p>
      )}
      {created && <CreatedInvitationPanel invitation={created} />}
    </section>
  );
}

function CreatedInvitationPanel({ invitation }: { invitation: CreatedInvitation }) {
  const id = useId();
  const { t } = useRecruiterTranslation();
  return (
    <div className="created-invitation" role="status">
      <p>
        {t('members.createdFor')} <strong>{invitation.email}</strong> {t('members.createdAs')}{' '}
        <strong>{roleLabel(invitation.role).toLowerCase()}</strong> {t('members.createdSend')}
      </p>
      <div className="invite-url">
        <label htmlFor={id} className="visually-hidden">
          {t('members.invitationLink')}
        </label>
        <input id={id} readOnly value={invitation.accept_url} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={invitation.accept_url} label={t('create.copyLink')} />
      </div>
      <p className="muted small">{t('members.createdValid', { when: formatDateTime(invitation.expires_at) })}</p>
    </div>
  );
}

function MemberList({ members, onChanged }: { members: Member[]; onChanged: () => void }) {
  const { t } = useRecruiterTranslation();
  const sorted = [...members].sort((a, b) => a.email.localeCompare(b.email));
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">
        {t('members.listHeading')} <span className="muted">({members.length})</span>
      </h2>
      <table className="team-table">
        <thead>
          <tr>
            <th scope="col">{t('members.email')}</th>
            <th scope="col">{t('members.role')}</th>
            <th scope="col">{t('members.joined')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('members.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((member) => (
            <MemberRow key={`${member.uid}:${member.role}`} member={member} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MemberRow({ member, onChanged }: { member: Member; onChanged: () => void }) {
  const { me, role: myRole, credentials, reload } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [role, setRole] = useState<Role>(member.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const errorId = useId();
  const isMe = member.uid === me.uid;
  const editable = canEditMember(myRole, member.role);
  const options = assignableRoles(myRole);

  async function onRoleChange(next: Role) {
    const previous = role;
    setRole(next);
    setBusy(true);
    setError(null);
    try {
      await changeMemberRole(member.uid, next, await credentials());
      onChanged();
      if (isMe) reload();
    } catch (cause) {
      setRole(previous);
      setError(memberErrorMessage(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr>
      <td data-label={t('members.email')}>
        {member.email}
        {isMe && <span className="muted small"> ({t('members.you')})</span>}
      </td>
      <td data-label={t('members.role')}>
        {editable ? (
          <select
            value={role}
            disabled={busy}
            aria-label={t('members.roleOf', { email: member.email })}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => void onRoleChange(e.target.value as Role)}
          >
            {(options.includes(role) ? options : [role, ...options]).map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        ) : (
          roleLabel(member.role)
        )}
        {error && (
          <p className="field-error" id={errorId} role="alert">
            {error}
          </p>
        )}
      </td>
      <td data-label={t('members.joined')}>{formatDateTime(member.joined_at)}</td>
      <td className="team-table__actions">
        {(editable || isMe) && (
          <button
            type="button"
            className="button button--ghost-danger button--small"
            onClick={() => setConfirming(true)}
            aria-label={isMe ? t('members.leaveTeam') : t('members.removeLabel', { email: member.email })}
          >
            {isMe ? t('members.leave') : t('members.remove')}
          </button>
        )}
        {confirming && (
          <ConfirmDialog
            title={isMe ? t('members.leaveTitle') : t('members.removeTitle', { email: member.email })}
            confirmLabel={isMe ? t('members.leaveTeam') : t('members.remove')}
            cancelLabel={t('members.keep')}
            danger
            onCancel={() => setConfirming(false)}
            onConfirm={async () => {
              try {
                await removeMember(member.uid, await credentials());
              } catch (cause) {
                throw new Error(memberErrorMessage(cause), { cause });
              }
              setConfirming(false);
              if (isMe) reload();
              else onChanged();
            }}
          >
            <p>
              {isMe ? t('members.leaveBody') : t('members.removeBody', { email: member.email })}
            </p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}

function PendingInvitations({ invitations, onChanged }: { invitations: Invitation[]; onChanged: () => void }) {
  const { t } = useRecruiterTranslation();
  return (
    <section className="card" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t('members.pendingHeading')}</h2>
      {invitations.length === 0 ? (
        <p className="muted">{t('members.noPending')}</p>
      ) : (
        <table className="team-table">
          <thead>
            <tr>
              <th scope="col">{t('members.email')}</th>
              <th scope="col">{t('members.role')}</th>
              <th scope="col">{t('members.validUntil')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('members.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((invitation) => (
              <InvitationRow key={invitation.id} invitation={invitation} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function InvitationRow({ invitation, onChanged }: { invitation: Invitation; onChanged: () => void }) {
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <tr>
      <td data-label={t('members.email')}>{invitation.email}</td>
      <td data-label={t('members.role')}>{roleLabel(invitation.role)}</td>
      <td data-label={t('members.validUntil')}>{formatDateTime(invitation.expires_at)}</td>
      <td className="team-table__actions">
        <button
          type="button"
          className="button button--ghost-danger button--small"
          disabled={busy}
          aria-label={t('members.revokeLabel', { email: invitation.email })}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await revokeInvitation(invitation.id, await credentials());
              onChanged();
            } catch (cause) {
              setError(memberErrorMessage(cause));
              setBusy(false);
            }
          }}
        >
          {busy ? t('members.revoking') : t('members.revoke')}
        </button>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
