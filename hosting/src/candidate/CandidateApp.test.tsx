import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlowEvent } from './flow';
import { readRequest, requestPath } from '../test/requests';

// The microphone and the LiveKit room need real devices and a server: stand-ins drive the flow.
vi.mock('./useMicrophone', () => ({
  useMicrophone: () => ({ status: 'ready', devices: [], deviceId: 'mic-1', heard: true, retry: () => undefined }),
}));

// The warm start is off by default (VITE_WARM_START); these tests run the page with it on.
vi.mock('../config', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../config')>();
  return { config: { ...actual.config, warmStart: true } };
});

/** The warm start's room (warmRoom.ts) as the tests set it: the hook's last arguments, and what it offers. */
const warm = vi.hoisted(() => ({
  enabled: false,
  fetchToken: null as null | ((signal: AbortSignal) => Promise<unknown>),
  ready: null as null | { room: object; token: unknown },
  microphone: undefined as undefined | { deviceId: string | undefined },
}));
vi.mock('./warmRoom', () => ({
  useWarmRoom: (
    enabled: boolean,
    fetchToken: (signal: AbortSignal) => Promise<unknown>,
    microphone?: { deviceId: string | undefined },
  ) => {
    warm.enabled = enabled;
    warm.fetchToken = fetchToken;
    warm.microphone = microphone;
    return { warm: enabled ? warm.ready : null, take: () => (enabled ? warm.ready : null) };
  },
}));

vi.mock('./InterviewRoom', () => ({
  InterviewRoom: ({ session, room, dispatch }: { session: number; room?: object; dispatch: (e: FlowEvent) => void }) => (
    <div>
      <p>Room session {session}{room ? ' (warm)' : ''}</p>
      <button onClick={() => dispatch({ type: 'connected', session })}>sim connected</button>
      <button onClick={() => dispatch({ type: 'disconnected', session, kind: 'lost' })}>sim lost</button>
      <button onClick={() => dispatch({ type: 'disconnected', session, kind: 'ended' })}>sim agent ended</button>
    </div>
  ),
}));

const { default: CandidateApp } = await import('./CandidateApp');

const SECRET = 'invite-secret-0123456789';
const TOKEN = {
  livekit_url: 'ws://127.0.0.1:7880',
  token: 'jwt',
  room: 'interview-int-1',
  expires_at: '2030-01-01T00:00:00Z',
  duration_minutes: 25,
  candidate_name: 'Ada',
  role: 'Backend engineer',
};

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function renderAt(hash: string) {
  window.history.replaceState(null, '', `/i/int-1${hash}`);
  return render(
    <MemoryRouter initialEntries={['/i/int-1']}>
      <Routes>
        <Route path="/i/:id" element={<CandidateApp />} />
      </Routes>
    </MemoryRouter>,
  );
}

async function passWelcomeAndMicCheck() {
  const user = userEvent.setup();
  await user.click(screen.getByRole('button', { name: 'Continue to microphone check' }));
  expect(screen.getByRole('alert')).toHaveTextContent('Please tick the box');
  await user.click(screen.getByRole('checkbox'));
  await user.click(screen.getByRole('button', { name: 'Continue to microphone check' }));
  expect(screen.getByRole('heading', { name: 'Check your microphone' })).toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: 'Join the interview' }));
  return user;
}

const INVITE_INFO = { candidate_name: 'Ada', role: 'Backend engineer', duration_minutes: 25, language: 'en', status: 'invited', expires_at: '2030-01-01T00:00:00Z' };

let fetchMock: ReturnType<typeof vi.fn<(url: RequestInfo | URL, init?: RequestInit) => Promise<Response>>>;
/** The arrival check (POST .../invite) answers this; every other request goes to fetchMock. */
let inviteReply: () => Response;
beforeEach(() => {
  warm.ready = null;
  warm.microphone = undefined;
  fetchMock = vi.fn();
  inviteReply = () => json(200, INVITE_INFO);
  vi.stubGlobal('fetch', (url: RequestInfo | URL, init?: RequestInit) =>
    requestPath(url).endsWith('/invite') ? Promise.resolve(inviteReply()) : fetchMock(url, init),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('CandidateApp', () => {
  it('greets by name and shows the duration from the invite check, before any token', async () => {
    renderAt(`#${SECRET}`);
    expect(await screen.findByRole('heading', { name: 'Welcome, Ada' })).toBeInTheDocument();
    expect(screen.getByText(/up to 25 minutes/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows an expired invite at once, without consent or mic check', async () => {
    inviteReply = () => json(410, { error: { code: 'invite_expired', message: 'this invite link has expired' } });
    renderAt(`#${SECRET}`);
    expect(await screen.findByRole('heading', { name: /expired/i })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Continue to microphone check' })).not.toBeInTheDocument();
  });

  it('walks consent -> mic check -> joining -> room -> thank you', async () => {
    fetchMock.mockImplementation(async () => json(200, TOKEN));
    renderAt(`#${SECRET}`);
    expect(screen.getByRole('heading', { name: 'Welcome to your interview' })).toBeInTheDocument();
    expect(screen.getByText(/An AI conducts this interview/)).toBeInTheDocument();
    expect(window.location.hash).toBe('');

    const user = await passWelcomeAndMicCheck();
    expect(await screen.findByText('Room session 1')).toBeInTheDocument();
    const sent = await readRequest(...fetchMock.mock.calls[0]);
    expect(sent.url).toBe('/api/interviews/int-1/token');
    expect(JSON.parse(sent.body)).toEqual({ invite: SECRET, consent: { version: 'en-1', language: 'en' } }); // the text accepted on the welcome page

    await user.click(screen.getByRole('button', { name: 'sim connected' }));
    await user.click(screen.getByRole('button', { name: 'sim agent ended' }));
    expect(screen.getByRole('heading', { name: 'Thank you, Ada!' })).toBeInTheDocument();
  });

  it('joins ahead during the microphone check and starts in that room, with no token to wait for', async () => {
    fetchMock.mockImplementation(async () => json(200, TOKEN));
    renderAt(`#${SECRET}`);
    const user = userEvent.setup();
    expect(warm.enabled).toBe(false); // not before consent: the token needs it
    await user.click(screen.getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: 'Continue to microphone check' }));
    expect(warm.enabled).toBe(true);
    await act(async () => {
      await warm.fetchToken?.(new AbortController().signal);
    });
    const sent = await readRequest(...fetchMock.mock.calls[0]);
    expect(sent.url).toBe('/api/interviews/int-1/token');
    expect(JSON.parse(sent.body)).toEqual({ invite: SECRET, consent: { version: 'en-1', language: 'en' }, warm: true });
    // The check has the microphone working: the warm room may publish it, muted, on that device.
    expect(warm.microphone).toEqual({ deviceId: 'mic-1' });

    warm.ready = { room: { name: 'interview-int-1' }, token: TOKEN };
    await user.click(screen.getByRole('button', { name: 'Join the interview' }));
    expect(await screen.findByText('Room session 1 (warm)')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1); // Start asked for no token
    expect(warm.enabled).toBe(false); // the check is over: the hook no longer holds the room
  });

  it('rejoins with a fresh token after a lost connection', async () => {
    fetchMock.mockImplementation(async () => json(200, TOKEN));
    renderAt(`#${SECRET}`);
    const user = await passWelcomeAndMicCheck();
    await screen.findByText('Room session 1');
    await user.click(screen.getByRole('button', { name: 'sim connected' }));
    await user.click(screen.getByRole('button', { name: 'sim lost' }));
    expect(screen.getByRole('heading', { name: /Connection lost/ })).toBeInTheDocument();
    expect(await screen.findByText('Room session 2', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('shows the used-up page for a 410', async () => {
    fetchMock.mockResolvedValue(json(410, { error: { code: 'invite_used_up', message: 'used up' } }));
    renderAt(`#${SECRET}`);
    await passWelcomeAndMicCheck();
    expect(await screen.findByRole('heading', { name: 'This invite link has been used up' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('shows the invalid-link page for a 403 and the finished page for a 409', async () => {
    fetchMock.mockResolvedValueOnce(json(403, { error: { code: 'invalid_invite', message: 'no' } }));
    const { unmount } = renderAt(`#${SECRET}`);
    await passWelcomeAndMicCheck();
    expect(await screen.findByRole('heading', { name: "This invite link isn't valid" })).toBeInTheDocument();
    unmount();

    fetchMock.mockResolvedValueOnce(json(409, { error: { code: 'interview_finished', message: 'done' } }));
    renderAt('');
    await passWelcomeAndMicCheck();
    expect(await screen.findByRole('heading', { name: 'This interview has already finished' })).toBeInTheDocument();
  });

  it('offers a retry when the service cannot be reached', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch')).mockResolvedValueOnce(json(200, TOKEN));
    renderAt(`#${SECRET}`);
    const user = await passWelcomeAndMicCheck();
    expect(await screen.findByRole('heading', { name: "We can't reach the interview service" })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Room session 1')).toBeInTheDocument();
  });

  it('counts down and retries after a 429', async () => {
    fetchMock
      .mockResolvedValueOnce(
        new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow' } }), {
          status: 429,
          headers: { 'Retry-After': '1' },
        }),
      )
      .mockResolvedValueOnce(json(200, TOKEN));
    renderAt(`#${SECRET}`);
    await passWelcomeAndMicCheck();
    expect(await screen.findByRole('heading', { name: 'Too many attempts' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('Room session 1')).toBeInTheDocument(), { timeout: 3000 });
  });

  it('explains an incomplete link when there is no secret', () => {
    renderAt('');
    expect(screen.getByRole('heading', { name: 'This link is incomplete' })).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('greets a reloading candidate with what the last token said', async () => {
    fetchMock.mockImplementation(async () => json(200, TOKEN));
    const { unmount } = renderAt(`#${SECRET}`);
    await passWelcomeAndMicCheck();
    await screen.findByText('Room session 1');
    unmount();
    renderAt('');
    await act(async () => undefined);
    expect(screen.getByRole('heading', { name: 'Welcome, Ada' })).toBeInTheDocument();
    expect(screen.getByText(/up to 25 minutes/)).toBeInTheDocument();
  });

  it('speaks the interview\'s language: a German interview shows German pages, and a reload keeps it', async () => {
    inviteReply = () => json(200, { ...INVITE_INFO, language: 'de' });
    fetchMock.mockImplementation(async () => json(200, { ...TOKEN, language: 'de' }));
    const { unmount } = renderAt(`#${SECRET}`);
    expect(await screen.findByRole('heading', { name: 'Willkommen, Ada' })).toBeInTheDocument();
    expect(screen.getByText(/bis zu 25 Minuten/)).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('de');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Weiter zum Mikrofontest' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Bitte setzen Sie das Häkchen');
    await user.click(screen.getByRole('checkbox', { name: /Ich verstehe, dass eine KI/ }));
    await user.click(screen.getByRole('button', { name: 'Weiter zum Mikrofontest' }));
    expect(screen.getByRole('heading', { name: 'Prüfen Sie Ihr Mikrofon' })).toBeInTheDocument();
    expect(document.title).toBe('Mikrofontest · AI Interviewer');
    unmount();
    expect(document.documentElement.lang).not.toBe('de');
    // A reload greets in German at once, before the invite check answers.
    inviteReply = () => json(503, { error: { code: 'unavailable', message: 'down' } });
    renderAt('');
    expect(screen.getByRole('heading', { name: 'Willkommen, Ada' })).toBeInTheDocument();
  });

  it('shows an error page in the interview\'s language', async () => {
    inviteReply = () => json(200, { ...INVITE_INFO, language: 'fr' });
    fetchMock.mockImplementation(async () => json(410, { error: { code: 'invite_used_up', message: 'used up' } }));
    renderAt(`#${SECRET}`);
    await screen.findByRole('heading', { name: 'Bienvenue, Ada' });
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: 'Continuer vers le test du micro' }));
    await user.click(screen.getByRole('button', { name: "Rejoindre l'entretien" }));
    expect(await screen.findByRole('heading', { name: "Ce lien d'invitation a été épuisé" })).toBeInTheDocument();
  });
});
