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
  useDocumentTitle('Members');
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
        <h1>Members of {workspace.name}</h1>
        <Link to="/audit">{t('nav.auditLog')}</Link>
      </div>
      <InviteForm onInvited={refresh} />
      {loadError && <Banner kind="error">{loadError}</Banner>}
      {!data && !loadError && <Spinner label="Loading the members…" />}
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
      <h2 id="invite-heading">Invite a colleague</h2>
      <form className="invite-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor={ids.email}>Email</label>
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
          <label htmlFor={ids.role}>Role</label>
          <select id={ids.role} value={role} aria-describedby={ids.roleHint} onChange={(e) => setRole(e.target.value as InvitableRole)}>
            {INVITABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Inviting…' : 'Invite'}
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
  return (
    <div className="created-invitation" role="status">
      <p>
        Invitation for <strong>{invitation.email}</strong> as <strong>{roleLabel(invitation.role).toLowerCase()}</strong>{' '}
        created. Send them this link:
      </p>
      <div className="invite-url">
        <label htmlFor={id} className="visually-hidden">
          Invitation link
        </label>
        <input id={id} readOnly value={invitation.accept_url} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={invitation.accept_url} label="Copy link" />
      </div>
      <p className="muted small">
        It works until {formatDateTime(invitation.expires_at)}, only for an account with that address. Copy it now: it
        cannot be shown again.
      </p>
    </div>
  );
}

function MemberList({ members, onChanged }: { members: Member[]; onChanged: () => void }) {
  const sorted = [...members].sort((a, b) => a.email.localeCompare(b.email));
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">
        Members <span className="muted">({members.length})</span>
      </h2>
      <table className="team-table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
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
      <td data-label="Email">
        {member.email}
        {isMe && <span className="muted small"> (you)</span>}
      </td>
      <td data-label="Role">
        {editable ? (
          <select
            value={role}
            disabled={busy}
            aria-label={`Role of ${member.email}`}
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
      <td data-label="Joined">{formatDateTime(member.joined_at)}</td>
      <td className="team-table__actions">
        {(editable || isMe) && (
          <button
            type="button"
            className="button button--ghost-danger button--small"
            onClick={() => setConfirming(true)}
            aria-label={isMe ? 'Leave the team' : `Remove ${member.email}`}
          >
            {isMe ? 'Leave' : 'Remove'}
          </button>
        )}
        {confirming && (
          <ConfirmDialog
            title={isMe ? 'Leave the team?' : `Remove ${member.email}?`}
            confirmLabel={isMe ? 'Leave the team' : 'Remove'}
            cancelLabel="Keep"
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
              {isMe
                ? 'You lose access to the team’s interviews and reports. An admin can invite you again.'
                : `${member.email} loses access to the team’s interviews and reports at once. Their interviews stay with the team.`}
            </p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}

function PendingInvitations({ invitations, onChanged }: { invitations: Invitation[]; onChanged: () => void }) {
  return (
    <section className="card" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Pending invitations</h2>
      {invitations.length === 0 ? (
        <p className="muted">No invitation is waiting to be accepted.</p>
      ) : (
        <table className="team-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Valid until</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <tr>
      <td data-label="Email">{invitation.email}</td>
      <td data-label="Role">{roleLabel(invitation.role)}</td>
      <td data-label="Valid until">{formatDateTime(invitation.expires_at)}</td>
      <td className="team-table__actions">
        <button
          type="button"
          className="button button--ghost-danger button--small"
          disabled={busy}
          aria-label={`Revoke the invitation of ${invitation.email}`}
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
          {busy ? 'Revoking…' : 'Revoke'}
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
