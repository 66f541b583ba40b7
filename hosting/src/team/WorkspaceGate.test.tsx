import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { onAuthStateChanged, reload, sendEmailVerification, signOut, type User } from 'firebase/auth';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter } from 'react-router';
import { listInterviews } from '../api';
import RecruiterApp, { TeamSwitcher } from '../recruiter/RecruiterApp';
import type { Me } from '../types';
import { useWorkspace } from './WorkspaceContext';
import { WorkspaceGate } from './WorkspaceGate';
import { readRequest } from '../test/requests';

const auth = vi.hoisted(() => ({ currentUser: null as unknown }));
vi.mock('../firebase', () => ({
  firebaseAuth: vi.fn(() => auth),
  idToken: vi.fn(async () => 'id-token'),
  firestore: vi.fn(),
}));
vi.mock('firebase/auth', async (importOriginal) => ({
  ...(await importOriginal<typeof import('firebase/auth')>()),
  onAuthStateChanged: vi.fn(),
  reload: vi.fn(async () => undefined),
  sendEmailVerification: vi.fn(async () => undefined),
  signOut: vi.fn(async () => undefined),
}));
vi.mock('../recruiter/useInterviews', () => ({
  useInterviews: vi.fn(() => ({ interviews: [], loading: false, error: null, hasMore: false })),
  useReportScores: vi.fn(() => ({})),
}));

function fakeUser(overrides: Partial<User> = {}): User {
  return {
    uid: 'user-1',
    email: 'rita@example.com',
    displayName: null,
    emailVerified: true,
    providerData: [{ providerId: 'password' }],
    getIdToken: vi.fn(async () => 'id-token'),
    ...overrides,
  } as unknown as User;
}

const TWO_TEAMS: Me = {
  uid: 'user-1',
  email: 'rita@example.com',
  email_verified: true,
  workspaces: [
    { id: 'team-a', name: 'Alpha hiring', role: 'recruiter' },
    { id: 'team-b', name: 'Beta hiring', role: 'viewer' },
  ],
};

/** A fetch that answers /api/me with `me` and everything else with an empty page; keeps the calls. */
function stubApi(me: Me) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const { url, headers } = await readRequest(input, init);
      calls.push({ url, headers });
      const body = url === '/api/me' ? me : { interviews: [] };
      return new Response(JSON.stringify(body), { status: 200 });
    }),
  );
  return calls;
}

function signIn(user: User | null) {
  auth.currentUser = user;
  vi.mocked(onAuthStateChanged).mockImplementation((_auth, next) => {
    (next as (u: User | null) => void)(user);
    return () => undefined;
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  window.localStorage.clear();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Calls an API route with the gate's credentials, as every page does. */
function Probe() {
  const { credentials, workspace } = useWorkspace();
  return (
    <button type="button" onClick={async () => void listInterviews(await credentials(), { mine: true })}>
      Load {workspace.name}
    </button>
  );
}

describe('the workspace switcher', () => {
  it('sends the chosen workspace as X-Workspace-Id and remembers it per account', async () => {
    const calls = stubApi(TWO_TEAMS);
    const user = userEvent.setup();
    render(
      <MemoryRouter>
        <WorkspaceGate user={fakeUser()}>
          <TeamSwitcher />
          <Probe />
        </WorkspaceGate>
      </MemoryRouter>,
    );
    // /api/me goes without the header: it lists every workspace.
    await user.click(await screen.findByRole('button', { name: 'Load Alpha hiring' }));
    expect(calls[0].url).toBe('/api/me');
    expect(calls[0].headers['x-workspace-id']).toBeUndefined();
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ url: '/api/interviews?mine=true', headers: { 'x-workspace-id': 'team-a' } });
    expect(screen.getByText('Recruiter')).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Team' }), 'Beta hiring');
    await user.click(screen.getByRole('button', { name: 'Load Beta hiring' }));
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[2].headers['x-workspace-id']).toBe('team-b');
    expect(calls[2].headers.authorization).toBe('Bearer id-token');
    expect(screen.getByText('Viewer')).toBeInTheDocument();
    expect(window.localStorage.getItem('ai-interviewer:workspace:user-1')).toBe('team-b');
  });

  it('opens the workspace chosen last time, and the first one when that is gone', async () => {
    stubApi(TWO_TEAMS);
    window.localStorage.setItem('ai-interviewer:workspace:user-1', 'team-b');
    const { unmount } = render(
      <MemoryRouter>
        <WorkspaceGate user={fakeUser()}>
          <Probe />
        </WorkspaceGate>
      </MemoryRouter>,
    );
    expect(await screen.findByRole('button', { name: 'Load Beta hiring' })).toBeInTheDocument();
    unmount();
    window.localStorage.setItem('ai-interviewer:workspace:user-1', 'team-gone');
    render(
      <MemoryRouter>
        <WorkspaceGate user={fakeUser()}>
          <Probe />
        </WorkspaceGate>
      </MemoryRouter>,
    );
    expect(await screen.findByRole('button', { name: 'Load Alpha hiring' })).toBeInTheDocument();
  });

  it('shows the team’s name without a menu to someone in one team', async () => {
    stubApi({ ...TWO_TEAMS, workspaces: [TWO_TEAMS.workspaces[0]] });
    render(
      <MemoryRouter>
        <WorkspaceGate user={fakeUser()}>
          <TeamSwitcher />
        </WorkspaceGate>
      </MemoryRouter>,
    );
    expect(await screen.findByText('Alpha hiring')).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Team' })).not.toBeInTheDocument();
  });
});

describe('after sign-in', () => {
  it('tells an account without a workspace to ask for an invitation, and shows nothing else', async () => {
    const calls = stubApi({ ...TWO_TEAMS, workspaces: [] });
    signIn(fakeUser());
    const user = userEvent.setup();
    render(
      <MemoryRouter>
        <RecruiterApp />
      </MemoryRouter>,
    );
    expect(
      await screen.findByRole('heading', { level: 1, name: 'You are not a member of a hiring team yet' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Ask an admin of your team to invite you/)).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(['/api/me']);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it('asks an unverified password account to verify, resends the email, and lets it in once verified', async () => {
    const calls = stubApi(TWO_TEAMS);
    const person = fakeUser({ emailVerified: false });
    signIn(person);
    const user = userEvent.setup();
    render(
      <MemoryRouter>
        <RecruiterApp />
      </MemoryRouter>,
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Verify your email address' })).toBeInTheDocument();
    expect(screen.getByText('rita@example.com')).toBeInTheDocument();
    expect(calls).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Resend verification email' }));
    expect(sendEmailVerification).toHaveBeenCalledWith(person, { url: `${window.location.origin}/` });
    expect(await screen.findByText(/We sent a new link to rita@example.com/)).toBeInTheDocument();

    // Not verified yet: says so and stays.
    await user.click(screen.getByRole('button', { name: 'I have verified' }));
    expect(reload).toHaveBeenCalledWith(person);
    expect(person.getIdToken).toHaveBeenCalledWith(true);
    expect(await screen.findByText(/not verified yet/)).toBeInTheDocument();

    // Verified in another tab: the reload brings the flag, the app asks the API who this is.
    vi.mocked(reload).mockImplementationOnce(async () => {
      (person as { emailVerified: boolean }).emailVerified = true;
    });
    await user.click(screen.getByRole('button', { name: 'I have verified' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Interviews' })).toBeInTheDocument();
    expect(calls[0].url).toBe('/api/me');
  });

  it('does not ask a Google account to verify', async () => {
    stubApi({ ...TWO_TEAMS, workspaces: [] });
    signIn(fakeUser({ emailVerified: false, providerData: [{ providerId: 'google.com' }] as User['providerData'] }));
    render(
      <MemoryRouter>
        <RecruiterApp />
      </MemoryRouter>,
    );
    expect(
      await screen.findByRole('heading', { level: 1, name: 'You are not a member of a hiring team yet' }),
    ).toBeInTheDocument();
  });
});
