import { useEffect, useState } from 'react';
import type { ErrorKind } from './flow';

const COPY: Record<ErrorKind, { title: string; body: string }> = {
  missing_link: {
    title: 'This link is incomplete',
    body: 'Open the invite link exactly as you received it: it ends with a long code after a # sign. If you copied it by hand, copy it again in full.',
  },
  invalid: {
    title: "This invite link isn't valid",
    body: 'Check that you opened the whole link from your invitation. If it still does not work, ask the recruiter for a new one.',
  },
  expired: {
    title: 'This invite has expired',
    body: 'The time to take this interview is over. If you would still like to take it, ask the recruiter for a new invite.',
  },
  used_up: {
    title: 'This invite link has been used up',
    body: 'The link was opened too many times. Ask the recruiter for a new invite.',
  },
  cancelled: {
    title: 'This interview was cancelled',
    body: 'The recruiter cancelled this interview. Contact them if you think this is a mistake.',
  },
  finished: {
    title: 'This interview has already finished',
    body: 'Thank you, there is nothing more to do. The recruiter will be in touch.',
  },
  rate_limited: {
    title: 'Too many attempts',
    body: 'Please wait a moment; we will try again automatically.',
  },
  unreachable: {
    title: "We can't reach the interview service",
    body: 'Check your internet connection. The service may also be busy for a moment.',
  },
  duplicate: {
    title: 'The interview is open somewhere else',
    body: 'This interview was joined from another tab or device, so this one was disconnected.',
  },
};

interface CandidateErrorProps {
  kind: ErrorKind;
  retryAfter?: number;
  onRetry?: () => void;
}

export function CandidateError({ kind, retryAfter, onRetry }: CandidateErrorProps) {
  const copy = COPY[kind];
  const [seconds, setSeconds] = useState(kind === 'rate_limited' ? Math.max(1, Math.ceil(retryAfter ?? 10)) : 0);

  // A rate limit clears by itself: count down, then retry.
  useEffect(() => {
    if (kind !== 'rate_limited' || !onRetry) return;
    if (seconds <= 0) {
      onRetry();
      return;
    }
    const timer = window.setTimeout(() => setSeconds((s) => s - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [kind, seconds, onRetry]);

  return (
    <div className="card candidate-card" data-testid={`candidate-error-${kind}`}>
      <h1>{copy.title}</h1>
      <p>{copy.body}</p>
      {kind === 'rate_limited' && seconds > 0 && (
        <p role="status">Trying again in {seconds} s…</p>
      )}
      {onRetry && (
        <button type="button" className="button button--primary" onClick={onRetry}>
          {kind === 'duplicate' ? 'Use this tab instead' : 'Try again'}
        </button>
      )}
    </div>
  );
}
