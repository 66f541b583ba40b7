import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/Spinner';

interface JoiningStepProps {
  attempt: number;
  lostConnection?: boolean;
  onLeave?: () => void;
}

export function JoiningStep({ attempt, lostConnection = false, onLeave }: JoiningStepProps) {
  const { t } = useTranslation();
  const retrying = attempt > 0;
  const title = lostConnection ? t('joining.lost') : retrying ? t('joining.still') : t('joining.joining');
  return (
    <div className="card candidate-card center">
      <h1>{title}</h1>
      <Spinner label={retrying ? t('joining.attempt', { attempt }) : t('joining.connecting')} />
      {retrying && <p className="muted">{t('joining.stay')}</p>}
      {retrying && onLeave && (
        <button type="button" className="button button--ghost" onClick={onLeave}>
          {t('joining.stop')}
        </button>
      )}
    </div>
  );
}
