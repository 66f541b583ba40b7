import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  ApiError,
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  sendWebhookTest,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../api';
import { Banner } from '../components/Banner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton } from '../components/CopyButton';
import { Field } from '../components/Field';
import { Spinner } from '../components/Spinner';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { formatDateTime } from '../lib/time';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../types';
import { useWorkspace } from './WorkspaceContext';

/** A secret the API answered once (create, rotate): shown until dismissed, never fetched again. */
interface ShownSecret {
  endpointId: string;
  secret: string;
}

/**
 * The team's outbound webhooks on the settings page (admins and owners; docs/webhooks.md): the
 * endpoints, adding one (URL and events), its signing secret shown once, rotating it, deleting it,
 * "Send test event", and each endpoint's delivery log.
 */
export function WebhooksSection() {
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [logOf, setLogOf] = useState<WebhookEndpoint | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const answer = await listWebhooks(await credentials(), controller.signal);
        if (!controller.signal.aborted) setEndpoints(answer.endpoints);
      } catch (cause) {
        if (!controller.signal.aborted) setError(messageOf(cause));
      }
    })();
    return () => controller.abort();
  }, [credentials, version]);

  const act = useCallback(
    async (work: () => Promise<string | null>) => {
      setError(null);
      setNotice(null);
      try {
        setNotice(await work());
        setVersion((v) => v + 1);
      } catch (cause) {
        setError(messageOf(cause));
      }
    },
    [],
  );

  const onCreated = useCallback((endpointId: string, secret: string) => {
    setShown({ endpointId, secret });
    setVersion((v) => v + 1);
  }, []);

  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">{t('webhooks.heading')}</h2>
      <p className="muted">{t('webhooks.intro')}</p>
      {error && (
        <Banner kind="error" onDismiss={() => setError(null)}>
          {error}
        </Banner>
      )}
      {notice && (
        <Banner kind="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      )}
      {shown && <SecretOnce secret={shown.secret} onDismiss={() => setShown(null)} />}
      {endpoints === null && !error && <Spinner label={t('webhooks.loading')} />}
      {endpoints !== null &&
        (endpoints.length === 0 ? (
          <p>{t('webhooks.empty')}</p>
        ) : (
          <table className="team-table webhooks-table">
            <caption className="visually-hidden">{t('webhooks.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.url')}</th>
                <th scope="col">{t('webhooks.events')}</th>
                <th scope="col">{t('webhooks.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id}>
                  <td>
                    <code>{endpoint.url}</code>
                    {!endpoint.enabled && ` (${t('webhooks.disabled')})`}
                    {endpoint.previous_secret_expires_at && (
                      <p className="muted small">
                        {t('webhooks.previousSecret', { when: formatDateTime(endpoint.previous_secret_expires_at) })}
                      </p>
                    )}
                  </td>
                  <td>{endpoint.events.join(', ')}</td>
                  <td className="webhooks-table__actions">
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() =>
                        void act(async () => {
                          await sendWebhookTest(endpoint.id, await credentials());
                          setLogOf(endpoint);
                          return t('webhooks.testSent');
                        })
                      }
                    >
                      {t('webhooks.sendTest')}
                    </button>
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() =>
                        void act(async () => {
                          const rotated = await rotateWebhookSecret(endpoint.id, await credentials());
                          setShown({ endpointId: endpoint.id, secret: rotated.secret });
                          return null;
                        })
                      }
                    >
                      {t('webhooks.rotate')}
                    </button>
                    <button type="button" className="button button--secondary" onClick={() => setLogOf(endpoint)}>
                      {t('webhooks.showLog')}
                    </button>
                    <button type="button" className="button button--danger" onClick={() => setDeleting(endpoint)}>
                      {t('webhooks.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {deleting && (
        <ConfirmDialog
          title={t('webhooks.confirmDeleteTitle')}
          confirmLabel={t('webhooks.delete')}
          cancelLabel={t('webhooks.cancel')}
          danger
          onConfirm={async () => {
            await deleteWebhook(deleting.id, await credentials());
            if (logOf?.id === deleting.id) setLogOf(null);
            setDeleting(null);
            setNotice(t('webhooks.deleted'));
            setVersion((v) => v + 1);
          }}
          onCancel={() => setDeleting(null)}
        >
          <p>{t('webhooks.confirmDelete', { url: deleting.url })}</p>
        </ConfirmDialog>
      )}
      <AddWebhookForm onCreated={onCreated} />
      {logOf && <DeliveryLog key={`${logOf.id}-${version}`} endpoint={logOf} />}
    </section>
  );
}

function SecretOnce({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const { t } = useRecruiterTranslation();
  return (
    <div className="webhooks-secret" role="status">
      <p>
        <strong>{t('webhooks.secretOnce')}</strong>
      </p>
      <div className="invite-url">
        <label htmlFor="webhook-secret" className="visually-hidden">
          {t('webhooks.secretLabel')}
        </label>
        <input id="webhook-secret" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={secret} label={t('webhooks.copySecret')} />
      </div>
      <button type="button" className="button button--secondary" onClick={onDismiss}>
        {t('webhooks.secretSaved')}
      </button>
    </div>
  );
}

function AddWebhookForm({ onCreated }: { onCreated: (endpointId: string, secret: string) => void }) {
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const [errors, setErrors] = useState<{ url?: string; events?: string }>({});
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found: { url?: string; events?: string } = {};
    if (!/^https?:\/\/\S+$/.test(url.trim())) found.url = t('webhooks.errors.url');
    if (events.length === 0) found.events = t('webhooks.errors.events');
    setErrors(found);
    if (found.url || found.events) return;
    setBusy(true);
    try {
      const created = await createWebhook({ url: url.trim(), events }, await credentials());
      setUrl('');
      setEvents([]);
      onCreated(created.id, created.secret);
    } catch (cause) {
      const onEvents = cause instanceof ApiError && Boolean(cause.field?.startsWith('events'));
      setErrors(onEvents ? { events: messageOf(cause) } : { url: messageOf(cause) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy} aria-labelledby="add-webhook-heading">
      <h3 id="add-webhook-heading">{t('webhooks.addHeading')}</h3>
      <Field label={t('webhooks.urlLabel')} error={errors.url} hint={t('webhooks.urlHint')}>
        {(p) => (
          <input
            {...p}
            type="url"
            inputMode="url"
            spellCheck={false}
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setErrors((v) => ({ ...v, url: undefined }));
            }}
          />
        )}
      </Field>
      <fieldset className="form__group" aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
        <legend>{t('webhooks.eventsLabel')}</legend>
        {WEBHOOK_EVENTS.map((name) => (
          <div className="checkbox" key={name}>
            <input
              id={`webhook-event-${name}`}
              type="checkbox"
              checked={events.includes(name)}
              onChange={(e) => {
                setEvents((v) => (e.target.checked ? [...v, name] : v.filter((x) => x !== name)));
                setErrors((v) => ({ ...v, events: undefined }));
              }}
            />
            <label htmlFor={`webhook-event-${name}`}>
              <code>{name}</code> {t(`webhooks.eventNames.${name}`)}
            </label>
          </div>
        ))}
        {errors.events && (
          <p className="field-error" id="webhook-events-error">
            {errors.events}
          </p>
        )}
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('webhooks.adding') : t('webhooks.add')}
        </button>
      </div>
    </form>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const page = await listWebhookDeliveries(endpoint.id, await credentials(), {}, controller.signal);
        if (!controller.signal.aborted) setDeliveries(page.deliveries);
      } catch (cause) {
        if (!controller.signal.aborted) setError(messageOf(cause));
      }
    })();
    return () => controller.abort();
  }, [credentials, endpoint.id, refresh]);

  return (
    <section className="webhooks-log" aria-labelledby="webhooks-log-heading">
      <h3 id="webhooks-log-heading">{t('webhooks.logHeading', { url: endpoint.url })}</h3>
      <button type="button" className="button button--secondary" onClick={() => setRefresh((v) => v + 1)}>
        {t('webhooks.refresh')}
      </button>
      {error && <Banner kind="error">{error}</Banner>}
      {deliveries === null && !error && <Spinner label={t('webhooks.logLoading')} />}
      {deliveries !== null &&
        (deliveries.length === 0 ? (
          <p>{t('webhooks.logEmpty')}</p>
        ) : (
          <table className="team-table">
            <caption className="visually-hidden">{t('webhooks.logCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.when')}</th>
                <th scope="col">{t('webhooks.event')}</th>
                <th scope="col">{t('webhooks.status')}</th>
                <th scope="col">{t('webhooks.attempts')}</th>
                <th scope="col">{t('webhooks.id')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id} data-status={delivery.status}>
                  <td>{formatDateTime(delivery.created_at)}</td>
                  <td>
                    <code>{delivery.event_type}</code>
                  </td>
                  <td>{t(`webhooks.statuses.${delivery.status}`, { defaultValue: delivery.status })}</td>
                  <td>
                    {delivery.attempts
                      .map((a) => `${a.attempt}: ${a.status_code ?? a.error_kind ?? '—'} (${Math.round(a.duration_ms)} ms)`)
                      .join(', ')}
                  </td>
                  <td>
                    <code>{delivery.id}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
