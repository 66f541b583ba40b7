import { useRoomContext, useTranscriptions } from '@livekit/components-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { captionLines } from './captions';

/** Live captions of both sides, from LiveKit's transcription text streams. */
export function Captions() {
  const room = useRoomContext();
  const { t } = useTranslation();
  const transcriptions = useTranscriptions();
  const [visible, setVisible] = useState(true);
  const listRef = useRef<HTMLOListElement>(null);
  const lines = captionLines(transcriptions, room.localParticipant.identity);
  const lastText = lines[lines.length - 1]?.text;

  // Keep the newest caption in view.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [lines.length, lastText]);

  return (
    <section className="captions" aria-labelledby="captions-heading">
      <div className="captions__head">
        <h2 id="captions-heading" className="captions__title">
          {t('captions.heading')}
        </h2>
        <button
          type="button"
          className="button button--ghost button--small"
          aria-pressed={visible}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? t('captions.hide') : t('captions.show')}
        </button>
      </div>
      {visible &&
        (lines.length === 0 ? (
          <p className="muted small">{t('captions.empty')}</p>
        ) : (
          <ol ref={listRef} className="captions__list" role="log" aria-live="off">
            {lines.map((line) => (
              <li key={line.id} className={`caption caption--${line.speaker}${line.final ? '' : ' caption--interim'}`}>
                <span className="caption__speaker">{line.speaker === 'you' ? t('captions.you') : t('captions.interviewer')}</span>
                <span className="caption__text">{line.text}</span>
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
