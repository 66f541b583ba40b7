import { useRecruiterTranslation } from '../i18n/recruiter';
import { formatClock, formatDateTime, toDate, toMillis } from '../lib/time';
import type { TurnDoc } from '../types';
import { turnAnchor } from './quotes';

interface TranscriptProps {
  turns: TurnDoc[];
  /** Offsets are shown from here (the interview's started_at), else from the first turn. */
  startedAt?: unknown;
  candidateName?: string;
}

export function Transcript({ turns, startedAt, candidateName }: TranscriptProps) {
  const { t } = useRecruiterTranslation();
  if (turns.length === 0) return <p className="muted">{t('transcript.empty')}</p>;
  const origin = toMillis(startedAt) ?? toMillis(turns[0]?.started_at) ?? null;
  return (
    <ol className="transcript">
      {turns.map((turn) => {
        const start = toMillis(turn.started_at);
        const isAgent = turn.role === 'agent';
        return (
          <li key={turn.seq} id={turnAnchor(turn.seq)} className={`turn turn--${isAgent ? 'agent' : 'candidate'}`}>
            <div className="turn__meta">
              <span className="turn__speaker">{isAgent ? t('transcript.agent') : (candidateName ?? t('report.candidate'))}</span>
              {start != null && (
                <time
                  className="turn__time"
                  dateTime={toDate(turn.started_at)?.toISOString()}
                  title={formatDateTime(turn.started_at)}
                >
                  {origin != null ? formatClock(start - origin) : formatDateTime(turn.started_at)}
                </time>
              )}
              {turn.interrupted && <span className="turn__flag">{t('transcript.interrupted')}</span>}
            </div>
            <p className="turn__text">{turn.text}</p>
          </li>
        );
      })}
    </ol>
  );
}
