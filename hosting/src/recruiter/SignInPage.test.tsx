import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createUserWithEmailAndPassword, sendEmailVerification, signInWithPopup, type UserCredential } from 'firebase/auth';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { config } from '../config';
import { googleErrorMessage, isNetworkFailure } from './authErrors';
import { SignInCard } from './SignInPage';

const settings = vi.hoisted(() => ({ useEmulators: true }));
vi.mock('../config', async (importOriginal) => {
  const original = await importOriginal<typeof import('../config')>();
  return {
    config: new Proxy(original.config, {
      get: (target, key) => (key === 'useEmulators' ? settings.useEmulators : target[key as keyof typeof target]),
    }),
  };
});
vi.mock('../firebase', () => ({ firebaseAuth: vi.fn(() => ({})) }));
vi.mock('firebase/auth', async (importOriginal) => ({
  ...(await importOriginal<typeof import('firebase/auth')>()),
  createUserWithEmailAndPassword: vi.fn(),
  sendEmailVerification: vi.fn(async () => undefined),
  signInWithPopup: vi.fn(),
  updateProfile: vi.fn(async () => undefined),
}));

function authError(code: string, customData?: unknown) {
  return Object.assign(new Error(`Firebase: Error (${code}).`), { code, customData });
}

beforeEach(() => {
  vi.clearAllMocks();
  settings.useEmulators = true;
});

describe('Google sign-in', () => {
  it('is hidden, with the reason, when the app talks to the emulators', () => {
    expect(config.useEmulators).toBe(true);
    render(<SignInCard />);
    expect(screen.queryByRole('button', { name: /Google/ })).not.toBeInTheDocument();
    expect(screen.getByText("Google sign-in needs Google's servers; locally, use email and password.")).toBeInTheDocument();
  });

  it('says Google is out of reach when its script cannot load, not just "Sign-in failed"', async () => {
    settings.useEmulators = false;
    vi.mocked(signInWithPopup).mockRejectedValue(authError('auth/internal-error', new Event('error')));
    render(<SignInCard />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("Google sign-in could not reach Google's servers");
  });

  it.each([
    [authError('auth/network-request-failed'), true],
    [authError('auth/internal-error', new Event('error')), true],
    [authError('auth/internal-error', { appName: '[DEFAULT]' }), false],
    [authError('auth/invalid-credential'), false],
  ])('tells network failures apart (%s)', (error, network) => {
    expect(isNetworkFailure(error)).toBe(network);
  });

  it('stays quiet when the person closes the popup', () => {
    expect(googleErrorMessage(authError('auth/popup-closed-by-user'))).toBeNull();
    expect(googleErrorMessage(authError('auth/unauthorized-domain'))).toMatch(/not allowed from this address/);
  });
});

describe('sign-up', () => {
  it('sends the verification email, whose link comes back to the given page', async () => {
    const user = { uid: 'u' };
    vi.mocked(createUserWithEmailAndPassword).mockResolvedValue({ user } as unknown as UserCredential);
    const person = userEvent.setup();
    render(<SignInCard initialMode="signup" initialEmail="vera@example.com" continuePath="/join/w/i" />);
    expect(screen.getByLabelText('Email')).toHaveValue('vera@example.com');
    await person.type(screen.getByLabelText('Password'), 'secret-pw');
    await person.click(screen.getByRole('button', { name: 'Create account' }));
    expect(createUserWithEmailAndPassword).toHaveBeenCalledWith({}, 'vera@example.com', 'secret-pw');
    await vi.waitFor(() =>
      expect(sendEmailVerification).toHaveBeenCalledWith(user, { url: `${window.location.origin}/join/w/i` }),
    );
  });
});
