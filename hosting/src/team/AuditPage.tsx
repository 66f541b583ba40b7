import { useCallback, useEffect, useState } from 'react';
import { listAudit, type AuditEntry } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { formatDateTime } from '../lib/time';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import '../styles/team.css';
import { useWorkspace } from './WorkspaceContext';

export const AUDIT_PAGE_SIZE = 50;

/**
 * /audit (admins and owners): the team's audit log, newest first, a page at a time. It shows what
 * the log holds (uids, ids, the entry's few scalar details) and nothing looked up beside it.
 */
export default function AuditPage() {
  const { workspace, me, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  useDocumentTitle(t('audit.documentTitle'));
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The newest page on arrival.
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const page = await listAudit(await credentials(), { pageSize: AUDIT_PAGE_SIZE }, controller.signal);
        if (controller.signal.aborted) return;
        setEntries(page.entries);
        setNext(page.next_page_token);
      } catch (cause) {
        if (!controller.signal.aborted) setError(cause instanceof Error ? cause.message : String(cause));
      }
    })();
    return () => controller.abort();
  }, [credentials]);

  /** The next older page, appended. */
  const loadMore = useCallback(
    async (pageToken: string) => {
      setBusy(true);
      try {
        const page = await listAudit(await credentials(), { pageSize: AUDIT_PAGE_SIZE, pageToken });
        setEntries((previous) => [...(previous ?? []), ...page.entries]);
        setNext(page.next_page_token);
        setError(null);
      } catch (cause) {
        setError(cause instanceof Error ? cause.message : String(cause));
      } finally {
        setBusy(false);
      }
    },
    [credentials],
  );

  return (
    <main className="page team-page" id="main">
      <div className="page__header">
        <h1>{t('audit.heading', { team: workspace.name })}</h1>
      </div>
      <p className="muted">{t('audit.intro')}</p>
      {error && <Banner kind="error">{error}</Banner>}
      {entries === null && !error && <Spinner label={t('audit.loading')} />}
      {entries !== null && (
        <section className="card">
          {entries.length === 0 ? (
            <p>{t('audit.empty')}</p>
          ) : (
            <table className="team-table audit-table">
              <caption className="visually-hidden">{t('audit.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.who')}</th>
                  <th scope="col">{t('audit.what')}</th>
                  <th scope="col">{t('audit.target')}</th>
                  <th scope="col">{t('audit.details')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id} data-action={entry.action}>
                    <td>{formatDateTime(entry.at)}</td>
                    <td>
                      <code>{entry.actor_uid}</code>
                      {entry.actor_uid === me.uid && ` (${t('audit.you')})`}
                    </td>
                    <td>{t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}</td>
                    <td>
                      <code>{entry.target}</code>
                    </td>
                    <td>
                      {Object.entries(entry.detail)
                        .map(([key, value]) => `${key}: ${String(value)}`)
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {next && (
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              onClick={() => void loadMore(next)}
            >
              {busy ? t('audit.loadingMore') : t('audit.more')}
            </button>
          )}
        </section>
      )}
    </main>
  );
}
