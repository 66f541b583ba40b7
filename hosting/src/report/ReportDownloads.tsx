import { useState } from 'react';
import { exportReport } from '../api';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { useWorkspace } from '../team/WorkspaceContext';

/** "Download PDF" and "Download JSON": the report as files (GET /api/reports/{id}/export.pdf|json). */
export function ReportDownloads({ id }: { id: string }) {
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [busy, setBusy] = useState<'pdf' | 'json' | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function download(format: 'pdf' | 'json') {
    setBusy(format);
    setError(null);
    try {
      await exportReport(id, format, await credentials());
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : t('downloads.failed'));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <button type="button" className="button button--secondary" disabled={busy !== null} onClick={() => void download('pdf')}>
        {busy === 'pdf' ? t('downloads.preparing') : t('downloads.pdf')}
      </button>
      <button type="button" className="button button--ghost" disabled={busy !== null} onClick={() => void download('json')}>
        {busy === 'json' ? t('downloads.preparing') : t('downloads.json')}
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </>
  );
}
