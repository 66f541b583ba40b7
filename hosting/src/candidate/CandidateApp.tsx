import type { Room } from 'livekit-client';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { createCandidateI18n, isCandidateLanguage, preferredCandidateLanguage } from '../i18n/candidate';
import { ApiError, requestInviteInfo, requestRoomToken, sendLatency } from '../api';
import { config } from '../config';
import type { RoomToken } from '../types';
import '../styles/candidate.css';
import { CandidateError } from './CandidateError';
import type { ConsentAcceptance } from './consent';
import { EndedPage } from './EndedPage';
import { flowReducer, initialFlow, type FlowEvent } from './flow';
import { InterviewRoom } from './InterviewRoom';
import { loadInfo, saveInfo, takeInviteSecret, type InterviewInfo } from './inviteSecret';
import { JoiningStep } from './JoiningStep';
import { LatencyReporter } from './latency';
import { MicCheckStep } from './MicCheckStep';
import { useWarmRoom } from './warmRoom';
import { WelcomeStep } from './WelcomeStep';

/**
 * /i/:id#secret — the candidate's whole visit: consent, mic check, the room, the end, in the
 * interview's language (from the invite check, remembered for reloads; until it is known, the
 * browser's preferred language if the catalogue has it, else English).
 */
export default function CandidateApp() {
  const { id = '' } = useParams();
  const [i18n] = useState(() => createCandidateI18n(loadInfo(id)?.language ?? preferredCandidateLanguage()));
  return (
    <I18nextProvider i18n={i18n}>
      <CandidateErrorBoundary>
        <CandidateFlow id={id} />
      </CandidateErrorBoundary>
    </I18nextProvider>
  );
}

function CandidateErrorBoundary({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <ErrorBoundary
      texts={{ title: t('errors.crashed.title'), body: t('errors.crashed.body'), reload: t('errors.crashed.reload') }}
    >
      {children}
    </ErrorBoundary>
  );
}

function CandidateFlow({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [secret] = useState(() => takeInviteSecret(id));
  const [state, dispatch] = useReducer(flowReducer, secret, (s) => initialFlow(Boolean(s)));
  const [info, setInfo] = useState<InterviewInfo | null>(() => loadInfo(id));
  const { phase } = state;
  const mainRef = useRef<HTMLElement>(null);
  /** The consent text the candidate accepted on this visit, sent with the token request. */
  const accepted = useRef<ConsentAcceptance | null>(null);

  const reporter = useMemo(() => new LatencyReporter(id, secret ?? '', (report, keepalive) => sendLatency(report, keepalive)), [id, secret]);

  // Check the invite on arrival: the welcome page shows who, what and how long, and a dead link
  // shows its page at once instead of after consent and the microphone check.
  useEffect(() => {
    if (!secret) return;
    const controller = new AbortController();
    requestInviteInfo(id, secret, controller.signal)
      .then((details) => {
        const next = {
          candidate_name: details.candidate_name,
          role: details.role,
          duration_minutes: details.duration_minutes,
          consent: details.consent,
          language: details.language,
        };
        setInfo((known) => {
          const merged = { ...known, ...next };
          saveInfo(id, merged);
          return merged;
        });
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted || !(cause instanceof ApiError)) return;
        dispatch({ type: 'inviteRejected', error: { status: cause.status, code: cause.code, message: cause.message } });
      });
    return () => controller.abort();
  }, [id, secret]);

  /** What a room token tells about the interview, kept for the pages after it and for reloads. */
  const remember = useCallback(
    (token: RoomToken) => {
      const next = {
        candidate_name: token.candidate_name,
        role: token.role,
        duration_minutes: token.duration_minutes,
        rejoin_grace_seconds: token.rejoin_grace_seconds,
        language: token.language,
      };
      setInfo((known) => {
        const merged = { ...known, ...next };
        saveInfo(id, merged);
        return merged;
      });
    },
    [id],
  );

  // The warm start: during the microphone check the room is joined and the microphone published
  // muted, so the interviewer is ready when the candidate presses Start (warmRoom.ts).
  const fetchWarmToken = useCallback(
    async (signal: AbortSignal) => {
      const token = await requestRoomToken(id, secret ?? '', accepted.current ?? undefined, signal, true);
      remember(token);
      return token;
    },
    [id, secret, remember],
  );
  /** The microphone check's working device (undefined until it has one): the warm room publishes it muted. */
  const [checkedMicrophone, setCheckedMicrophone] = useState<{ deviceId: string | undefined } | undefined>(undefined);
  const onMicrophone = useCallback((deviceId: string | undefined) => setCheckedMicrophone({ deviceId }), []);
  const warmStart = useWarmRoom(
    config.warmStart && phase.step === 'micCheck' && Boolean(secret),
    fetchWarmToken,
    checkedMicrophone,
  );
  /** The warm room handed to the interview room at Start (its session number with it). */
  const [warmRoom, setWarmRoom] = useState<{ session: number; room: Room } | null>(null);

  // Fetch a room token whenever the flow is joining (first join or a rejoin after backoff).
  useEffect(() => {
    if (phase.step !== 'joining' || !secret) return;
    const controller = new AbortController();
    const jitter = phase.delayMs > 0 ? Math.random() * 300 : 0;
    const timer = window.setTimeout(async () => {
      try {
        const token = await requestRoomToken(id, secret, accepted.current ?? undefined, controller.signal);
        remember(token);
        dispatch({ type: 'tokenOk', token });
      } catch (cause) {
        if (controller.signal.aborted) return;
        const error = cause instanceof ApiError ? cause : new ApiError(0, 'network_error', String(cause));
        dispatch({
          type: 'tokenFailed',
          error: { status: error.status, code: error.code, message: error.message, retryAfter: error.retryAfter },
        });
      }
    }, phase.delayMs + jitter);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [phase, id, secret, remember]);

  // Telemetry: flush periodically while in the room, and when the page goes away.
  const inRoom = phase.step === 'inRoom';
  useEffect(() => {
    if (!inRoom || !secret) return;
    reporter.start();
    const onHide = () => void reporter.flush(true);
    window.addEventListener('pagehide', onHide);
    return () => {
      reporter.stop();
      window.removeEventListener('pagehide', onHide);
      void reporter.flush(true);
    };
  }, [inRoom, reporter, secret]);

  // Speak the interview's language once it is known; the page's lang follows, for screen readers.
  const language = info?.language;
  useEffect(() => {
    if (isCandidateLanguage(language) && i18n.language !== language) void i18n.changeLanguage(language);
  }, [language, i18n]);
  const shownLanguage = i18n.language;
  useEffect(() => {
    const previous = document.documentElement.lang;
    document.documentElement.lang = shownLanguage;
    return () => {
      document.documentElement.lang = previous;
    };
  }, [shownLanguage]);

  // Move focus to the new step's heading, and name the tab after it.
  const title = t(`titles.${phase.step}`);
  useEffect(() => {
    document.title = `${title} · ${t('brand')}`;
    const heading = mainRef.current?.querySelector('h1');
    if (heading && phase.step !== 'welcome') {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }, [phase.step, title, t]);

  const send = useCallback((event: FlowEvent) => dispatch(event), []);
  const retry = useCallback(() => dispatch({ type: 'retry' }), []);

  let content: React.ReactNode;
  switch (phase.step) {
    case 'welcome':
      content = (
        <WelcomeStep
          info={info}
          onConsent={(acceptance) => {
            accepted.current = acceptance;
            dispatch({ type: 'consent' });
          }}
        />
      );
      break;
    case 'micCheck':
      content = (
        <div data-warm-start={warmStart.warm ? 'ready' : 'waiting'}>
          <MicCheckStep
            onReady={(deviceId) => {
              const warm = warmStart.take();
              if (warm) setWarmRoom({ session: state.session + 1, room: warm.room });
              dispatch({ type: 'micReady', deviceId, warm: warm?.token });
            }}
            onMicrophone={onMicrophone}
            onBack={() => dispatch({ type: 'back' })}
          />
        </div>
      );
      break;
    case 'joining':
      content = <JoiningStep attempt={phase.attempt} lostConnection={phase.lostConnection} onLeave={() => dispatch({ type: 'leave' })} />;
      break;
    case 'inRoom':
      content = (
        <InterviewRoom
          key={phase.session}
          interviewId={id}
          token={phase.token}
          session={phase.session}
          connected={phase.connected}
          room={phase.warm && warmRoom?.session === phase.session ? warmRoom.room : undefined}
          deviceId={state.deviceId}
          reporter={reporter}
          dispatch={send}
        />
      );
      break;
    case 'ended':
      content = <EndedPage by={phase.by} candidateName={info?.candidate_name} graceSeconds={info?.rejoin_grace_seconds} onRejoin={retry} />;
      break;
    case 'error':
      content = (
        <CandidateError
          kind={phase.kind}
          retryAfter={phase.retryAfter}
          onRetry={['rate_limited', 'unreachable', 'duplicate'].includes(phase.kind) ? retry : undefined}
        />
      );
      break;
  }

  return (
    <div className="candidate">
      <header className="candidate__header">
        <span className="brand">
          <span className="brand__mark" aria-hidden="true" /> {t('brand')}
        </span>
        {phase.step !== 'inRoom' && <StepIndicator step={phase.step} />}
      </header>
      <main ref={mainRef} id="main" className="candidate__main">
        {content}
      </main>
    </div>
  );
}

const STEPS = ['welcome', 'micCheck', 'interview'] as const;

function StepIndicator({ step }: { step: string }) {
  const { t } = useTranslation();
  const index = step === 'welcome' ? 0 : step === 'micCheck' ? 1 : step === 'joining' || step === 'inRoom' ? 2 : -1;
  if (index < 0) return null;
  return (
    <ol className="step-indicator" aria-label={t('steps.progress')}>
      {STEPS.map((key, i) => (
        <li
          key={key}
          className={i < index ? 'done' : i === index ? 'current' : undefined}
          aria-current={i === index ? 'step' : undefined}
        >
          {t(`steps.${key}`)}
        </li>
      ))}
    </ol>
  );
}
