import { useId, useState, type FormEvent } from 'react';
import { FALLBACK_CONSENT, type ConsentText } from './consent';
import type { InterviewInfo } from './inviteSecret';

export function WelcomeStep({ info, onConsent }: { info: InterviewInfo | null; onConsent: (shown: ConsentText) => void }) {
  const shown = info?.consent ?? FALLBACK_CONSENT;
  const [agreed, setAgreed] = useState(false);
  const [showError, setShowError] = useState(false);
  const checkboxId = useId();
  const errorId = useId();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!agreed) {
      setShowError(true);
      document.getElementById(checkboxId)?.focus();
      return;
    }
    onConsent(shown);
  }

  const duration = info?.duration_minutes;
  return (
    <div className="card candidate-card">
      <h1>
        {info?.candidate_name ? `Welcome, ${info.candidate_name}` : 'Welcome to your interview'}
      </h1>
      {info?.role && (
        <p className="lead">
          Interview for <strong>{info.role}</strong>
        </p>
      )}
      <section aria-labelledby="how-heading">
        <h2 id="how-heading">How it works</h2>
        <p>
          <strong>An AI conducts this interview.</strong> It talks with you by voice, asks about your experience for the
          role and may follow up on your answers. Speak naturally; you can interrupt it, and ask it to repeat a question.
        </p>
        <p>
          <strong>How long:</strong>{' '}
          {duration
            ? `up to ${duration} minutes.`
            : 'as long as the recruiter set, at most an hour; most take 15 to 30 minutes.'}{' '}
          A timer shows the time used. The interviewer closes the conversation when it is done.
        </p>
      </section>
      <section aria-labelledby="data-heading">
        <h2 id="data-heading">What is recorded</h2>
        <ul className="plain-list">
          <li>Your audio is processed live to hold the conversation.</li>
          <li>
            A <strong>transcript</strong> (the text of what you and the interviewer say) is stored.
          </li>
          <li>
            After the interview, the transcript is <strong>evaluated by AI into a report for the recruiter</strong>. People at
            the company make the hiring decision.
          </li>
        </ul>
      </section>
      <section aria-labelledby="tips-heading">
        <h2 id="tips-heading">Before you start</h2>
        <ul className="plain-list">
          <li>Find a quiet place; headphones help the AI hear you clearly.</li>
          <li>If your connection drops, this page rejoins by itself and the interview continues.</li>
        </ul>
      </section>
      <form onSubmit={onSubmit} className="consent">
        <div className={`checkbox${showError && !agreed ? ' checkbox--invalid' : ''}`}>
          <input
            id={checkboxId}
            type="checkbox"
            checked={agreed}
            onChange={(e) => {
              setAgreed(e.target.checked);
              if (e.target.checked) setShowError(false);
            }}
            aria-invalid={showError && !agreed ? true : undefined}
            aria-describedby={showError && !agreed ? errorId : undefined}
          />
          <label htmlFor={checkboxId}>{shown.text}</label>
        </div>
        {showError && !agreed && (
          <p className="field-error" id={errorId} role="alert">
            Please tick the box to continue.
          </p>
        )}
        <button type="submit" className="button button--primary button--large">
          Continue to microphone check
        </button>
      </form>
    </div>
  );
}
