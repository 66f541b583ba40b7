import { useCallback, useId, useRef, useState } from 'react';
import { MIC_ERROR_TEXT } from './audioLevel';
import { useMicrophone } from './useMicrophone';

interface MicCheckStepProps {
  onReady: (deviceId: string | undefined) => void;
  onBack: () => void;
}

export function MicCheckStep({ onReady, onBack }: MicCheckStepProps) {
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

  return (
    <div className="card candidate-card">
      <h1>Check your microphone</h1>
      <p>Say a few words. The bar should move when you speak.</p>

      {mic.status === 'error' && mic.error ? (
        <div className="banner banner--error" role="alert">
          <div className="banner__body">{MIC_ERROR_TEXT[mic.error]}</div>
          <button type="button" className="button button--secondary" onClick={mic.retry}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <div
            ref={meterRef}
            className="level-meter"
            role="meter"
            aria-label="Microphone level"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={0}
          >
            <span className="level-meter__fill" />
          </div>
          <p className="mic-status" role="status">
            {mic.status === 'starting'
              ? 'Starting the microphone… your browser may ask for permission.'
              : mic.heard
                ? '✓ We can hear you.'
                : 'Waiting to hear you…'}
          </p>
        </>
      )}

      {mic.devices.length > 0 && (
        <div className="field">
          <label htmlFor={selectId}>Microphone</label>
          <select
            id={selectId}
            value={mic.deviceId ?? requested ?? ''}
            onChange={(e) => setRequested(e.target.value || undefined)}
          >
            {mic.devices.map((device, i) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || `Microphone ${i + 1}`}
              </option>
            ))}
          </select>
        </div>
      )}

      <div className="form__actions">
        <button type="button" className="button button--ghost" onClick={onBack}>
          Back
        </button>
        <button
          type="button"
          className="button button--primary button--large"
          disabled={mic.status !== 'ready'}
          onClick={() => onReady(mic.deviceId ?? requested)}
        >
          {mic.heard || mic.status !== 'ready' ? 'Join the interview' : 'Join anyway'}
        </button>
      </div>
    </div>
  );
}
