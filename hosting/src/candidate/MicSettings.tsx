import { useMediaDeviceSelect } from '@livekit/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** Switch the microphone during the interview. */
export function MicSettings() {
  const { devices, activeDeviceId, setActiveMediaDevice } = useMediaDeviceSelect({ kind: 'audioinput' });
  const id = useId();
  const { t } = useTranslation();
  if (devices.length < 2) return null;
  return (
    <div className="field field--inline mic-settings">
      <label htmlFor={id}>{t('mic.microphone')}</label>
      <select id={id} value={activeDeviceId} onChange={(e) => void setActiveMediaDevice(e.target.value)}>
        {devices.map((device, i) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || t('mic.deviceN', { n: i + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
