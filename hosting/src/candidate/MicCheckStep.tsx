import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMicrophone } from './useMicrophone';

interface MicCheckStepProps {
  onReady: (deviceId: string | undefined) => void;
  /** The microphone works (permission given, a device open): its device, as it changes. */
  onMicrophone?: (deviceId: string | undefined) => void;
  onBack: () => void;
}

export function MicCheckStep({ onReady, onMicrophone, onBack }: MicCheckStepProps) {
  const [requested, setRequested] = useState<string | undefined>(undefined);
  const meterRef = useRef<HTMLDivElement>(null);
  const selectId = useId();
  const onLevel = useCallback((level: number) => {
    const meter = meterRef.current;
    if (!meter) return;
    meter.style.setProperty('--level', level.toFixed(3));
    meter.setAttribute('aria-valuenow', String(Math.round(level * 100)));
  }, []);
  const mic = useMicrophone(requested, onLevel);
  useEffect(() => {
    if (mic.status === 'ready') onMicrophone?.(mic.deviceId);
  }, [mic.status, mic.deviceId, onMicrophone]);
  const { t } = useTranslation();

  return (
    <div className="card candidate-card">
      <h1>{t('mic.heading')}</h1>
      <p>{t('mic.instructions')}</p>

      {mic.status === 'error' && mic.error ? (
        <div className="banner banner--error" role="alert">
          <div className="banner__body">{t(`mic.errors.${mic.error}`)}</div>
          <button type="button" className="button button--secondary" onClick={mic.retry}>
            {t('mic.tryAgain')}
          </button>
        </div>
      ) : (
        <>
          <div
            ref={meterRef}
            className="level-meter"
            role="meter"
            aria-label={t('mic.levelLabel')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={0}
          >
            <span className="level-meter__fill" />
          </div>
          <p className="mic-status" role="status">
            {mic.status === 'starting'
              ? t('mic.starting')
              : mic.heard
                ? t('mic.heard')
                : t('mic.waiting')}
          </p>
        </>
      )}

      {mic.devices.length > 0 && (
        <div className="field">
          <label htmlFor={selectId}>{t('mic.microphone')}</label>
          <select
            id={selectId}
            value={mic.deviceId ?? requested ?? ''}
            onChange={(e) => setRequested(e.target.value || undefined)}
          >
            {mic.devices.map((device, i) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || t('mic.deviceN', { n: i + 1 })}
              </option>
            ))}
          </select>
        </div>
      )}

      <div className="form__actions">
        <button type="button" className="button button--ghost" onClick={onBack}>
          {t('mic.back')}
        </button>
        <button
          type="button"
          className="button button--primary button--large"
          disabled={mic.status !== 'ready'}
          onClick={() => onReady(mic.deviceId ?? requested)}
        >
          {mic.heard || mic.status !== 'ready' ? t('mic.join') : t('mic.joinAnyway')}
        </button>
      </div>
    </div>
  );
}
