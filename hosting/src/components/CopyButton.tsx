import { useEffect, useState } from 'react';
import { useRecruiterTranslation } from '../i18n/recruiter';

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy path (insecure origins, denied permission)
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** A copy-to-clipboard button of the recruiter's pages (words from the recruiter catalogue). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useRecruiterTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}
      >
        {state === 'copied' ? t('copy.copied') : (label ?? t('copy.copy'))}
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? t('copy.announced') : state === 'failed' ? t('copy.failed') : ''}
      </span>
    </>
  );
}
