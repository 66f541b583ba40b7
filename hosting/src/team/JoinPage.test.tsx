import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { onAuthStateChanged, type User } from 'firebase/auth';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes } from 'react-router';
import { acceptInvitation, ApiError, joinWorkspaceByDomain, lookupInvitation } from '../api';
import { AuthProvider } from '../recruiter/AuthContext';
import type { InvitationPreview } from '../types';
import JoinPage from './JoinPage';
import { joinProblem } from './joinErrors';
import { forgetJoinSecret, takeJoinSecret } from './joinSecret';

vi.mock('../firebase', () => ({ firebaseAuth: vi.fn(() => ({})), idToken: vi.fn(), firestore: vi.fn() }));
vi.mock('firebase/auth', async (importOriginal) => ({
  ...(await importOriginal<typeof import('firebase/auth')>()),
  onAuthStateChanged: vi.fn(),
  signOut: vi.fn(async () => undefined),
}));
vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  lookupInvitation: vi.fn(),
  acceptInvitation: vi.fn(),
  joinWorkspaceByDomain: vi.fn(),
}));

const PREVIEW: InvitationPreview = {
  workspace: { id: 'team-1', name: 'Demo team' },
  email: 'vera@example.com',
  role: 'viewer',
  expires_at: '2030-01-08T12:00:00Z',
};

function person(overrides: Partial<User> = {}): User {
  return {
    uid: 'user-9',
    email: 'vera@example.com',
    emailVerified: true,
    providerData: [{ providerId: 'password' }],
    getIdToken: vi.fn(async () => 'vera-token'),
    ...overrides,
  } as unknown as User;
}

function signedIn(user: User | null) {
  vi.mocked(onAuthStateChanged).mockImplementation((_auth, next) => {
    (next as (u: User | null) => void)(user);
    return () => undefined;
  });
}

function open(path = '/join/team-1/inv-1', hash = '#s3cret-s3cret') {
  window.history.replaceState(null, '', `${path}${hash}`);
  render(
    <MemoryRouter initialEntries={[path]}>
      <AuthProvider>
        <Routes>
          <Route path="/join/:wid/:iid" element={<JoinPage />} />
          <Route path="/join/:wid" element={<JoinPage />} />
          <Route path="/" element={<h1>Dashboard</h1>} />
        </Routes>
      </AuthProvider>
    </MemoryRouter>,
  );
}

beforeEach(() => {
  vi.clearAllMocks();
  window.localStorage.clear();
  vi.mocked(lookupInvitation).mockResolvedValue(PREVIEW);
});

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('takeJoinSecret', () => {
  it('takes the secret from the fragment, keeps it, and clears the address bar', () => {
    const storage = window.localStorage;
    const history = { state: { k: 1 }, replaceState: vi.fn() };
    const location = { hash: '#abc%2Bdef', pathname: '/join/w/i', search: '?x=1' };
    expect(takeJoinSecret('w', 'i', location, storage, history)).toBe('abc+def');
    expect(history.replaceState).toHaveBeenCalledWith({ k: 1 }, '', '/join/w/i?x=1');
    // Another tab (the email verification link) finds it without the fragment.
    expect(takeJoinSecret('w', 'i', { hash: '', pathname: '/join/w/i', search: '' }, storage, history)).toBe('abc+def');
    forgetJoinSecret('w', 'i', storage);
    expect(takeJoinSecret('w', 'i', { hash: '', pathname: '/join/w/i', search: '' }, storage, history)).toBeNull();
  });
});

describe('JoinPage', () => {
  it('removes the secret from the address bar and offers sign-up with the invited address', async () => {
    signedIn(null);
    open();
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/join/team-1/inv-1');
    expect(await screen.findByRole('heading', { level: 1, name: 'Create your account to join' })).toBeInTheDocument();
    expect(screen.getByText(/invites/).textContent).toMatch(/Demo team invites vera@example.com to join as viewer/);
    expect(screen.getByLabelText('Email')).toHaveValue('vera@example.com');
    expect(lookupInvitation).toHaveBeenCalledWith(
      { workspace_id: 'team-1', invitation_id: 'inv-1', secret: 's3cret-s3cret' },
      expect.any(AbortSignal),
    );
  });

  it('asks a new password account to verify its email first', async () => {
    signedIn(person({ emailVerified: false }));
    open();
    expect(await screen.findByRole('heading', { name: 'Verify your email address' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Join/ })).not.toBeInTheDocument();
  });

  it('joins as the invited role with the secret, then opens the team', async () => {
    signedIn(person());
    vi.mocked(acceptInvitation).mockResolvedValue({ workspace: { id: 'team-1', name: 'Demo team', role: 'viewer' } });
    open();
    const join = await screen.findByRole('button', { name: 'Join Demo team as viewer' });
    await userEvent.setup().click(join);
    expect(acceptInvitation).toHaveBeenCalledWith(
      { workspace_id: 'team-1', invitation_id: 'inv-1', secret: 's3cret-s3cret' },
      'vera-token',
    );
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(window.localStorage.getItem('ai-interviewer:workspace:user-9')).toBe('team-1');
    expect(window.localStorage.getItem('ai-interviewer:join:team-1:inv-1')).toBeNull();
  });

  it('warns before joining with another account than the invited one', async () => {
    signedIn(person({ email: 'someone@else.com' }));
    open();
    expect(await screen.findByText(/This invitation is for/)).toHaveTextContent('vera@example.com');
    expect(screen.getByRole('button', { name: 'Join Demo team as viewer' })).toBeDisabled();
  });

  it.each([
    [new ApiError(403, 'invitation_for_another_account', 'x'), /for another email address than vera@example.com/, true],
    [new ApiError(410, 'invitation_expired', 'x'), /has expired/, false],
    [new ApiError(410, 'invitation_revoked', 'x'), /was withdrawn/, false],
  ])('explains a refused acceptance (%s)', async (error, message, canRetry) => {
    signedIn(person());
    vi.mocked(acceptInvitation).mockRejectedValue(error);
    open();
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Join Demo team as viewer' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(screen.queryByRole('button', { name: 'Join Demo team as viewer' }) !== null).toBe(canRetry);
  });

  it('says at once when the invitation is dead, before any sign-in', async () => {
    signedIn(null);
    vi.mocked(lookupInvitation).mockRejectedValue(new ApiError(410, 'invitation_expired', 'expired'));
    open();
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation cannot be used' })).toBeInTheDocument();
    expect(screen.getByText(/has expired/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
  });

  it('carries on without names when the API has no preview route', async () => {
    signedIn(person());
    vi.mocked(lookupInvitation).mockRejectedValue(new ApiError(404, 'not_found', 'The requested URL was not found'));
    vi.mocked(acceptInvitation).mockResolvedValue({ workspace: { id: 'team-1', name: 'Demo team', role: 'viewer' } });
    open();
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Join the team' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
  });

  it('says the link is incomplete without a secret', async () => {
    signedIn(person());
    open('/join/team-1/inv-1', '');
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation link is incomplete' })).toBeInTheDocument();
    expect(lookupInvitation).not.toHaveBeenCalled();
  });

  it('joins by email domain from /join/:wid', async () => {
    signedIn(person());
    vi.mocked(joinWorkspaceByDomain).mockResolvedValue({ workspace: { id: 'team-1', name: 'Demo team', role: 'viewer' } });
    open('/join/team-1', '');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Join the team as viewer' }));
    expect(joinWorkspaceByDomain).toHaveBeenCalledWith('team-1', 'vera-token');
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
  });
});

describe('joinProblem', () => {
  it.each([
    ['domain_join_not_allowed', 403, /cannot join this team by itself/, true],
    ['invitation_used', 410, /used already/, true],
    ['invitation_gone', 410, /can no longer be used/, true],
    ['invitation_not_found', 404, /not valid/, true],
    ['email_not_verified', 403, /Verify your email/, false],
    ['something_else', 410, /no longer valid/, true],
    ['backend_unavailable', 503, /^try later$/, false],
  ])('words %s', (code, status, message, final) => {
    const problem = joinProblem(new ApiError(status, code, 'try later'), 'vera@example.com');
    expect(problem.message).toMatch(message);
    expect(problem.final).toBe(final);
  });
});
