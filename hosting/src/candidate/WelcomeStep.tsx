import { useId, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { acceptanceFor, type ConsentAcceptance } from './consent';
import type { InterviewInfo } from './inviteSecret';

const STRONG = { strong: <strong /> };

export function WelcomeStep({ info, onConsent }: { info: InterviewInfo | null; onConsent: (accepted: ConsentAcceptance) => void }) {
  const { t, i18n } = useTranslation();
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
    onConsent(acceptanceFor(i18n.resolvedLanguage ?? i18n.language));
  }

  const duration = info?.duration_minutes;
  return (
    <div className="card candidate-card">
      <h1>{info?.candidate_name ? t('welcome.greetingNamed', { name: info.candidate_name }) : t('welcome.greeting')}</h1>
      {info?.role && (
        <p className="lead">
          {t('welcome.rolePrefix')} <strong>{info.role}</strong>
        </p>
      )}
      <section aria-labelledby="how-heading">
        <h2 id="how-heading">{t('welcome.howHeading')}</h2>
        <p>
          <Trans i18nKey="consent.aiNotice" components={STRONG} />
        </p>
        <p>
          <strong>{t('welcome.howLongLabel')}</strong>{' '}
          {duration ? t('welcome.durationKnown', { minutes: duration }) : t('welcome.durationUnknown')}{' '}
          {t('welcome.timerNote')}
        </p>
      </section>
      <section aria-labelledby="data-heading">
        <h2 id="data-heading">{t('consent.recordedHeading')}</h2>
        <ul className="plain-list">
          <li>{t('consent.audio')}</li>
          <li>
            <Trans i18nKey="consent.transcript" components={STRONG} />
          </li>
          <li>
            <Trans i18nKey="consent.evaluation" components={STRONG} />
          </li>
        </ul>
      </section>
      <section aria-labelledby="tips-heading">
        <h2 id="tips-heading">{t('welcome.tipsHeading')}</h2>
        <ul className="plain-list">
          <li>{t('welcome.tipQuiet')}</li>
          <li>{t('welcome.tipRejoin')}</li>
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
          <label htmlFor={checkboxId}>{t('consent.agreement')}</label>
        </div>
        {showError && !agreed && (
          <p className="field-error" id={errorId} role="alert">
            {t('welcome.mustTick')}
          </p>
        )}
        <button type="submit" className="button button--primary button--large">
          {t('welcome.continue')}
        </button>
      </form>
    </div>
  );
}
