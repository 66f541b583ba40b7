import { useRoomContext, useTranscriptions } from '@livekit/components-react';
import { useEffect, useRef, useState } from 'react';
import { captionLines } from './captions';

/** Live captions of both sides, from LiveKit's transcription text streams. */
export function Captions() {
  const room = useRoomContext();
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
          Captions
        </h2>
        <button
          type="button"
          className="button button--ghost button--small"
          aria-pressed={visible}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
      {visible &&
        (lines.length === 0 ? (
          <p className="muted small">Captions appear here when the conversation starts.</p>
        ) : (
          <ol ref={listRef} className="captions__list" role="log" aria-live="off">
            {lines.map((line) => (
              <li key={line.id} className={`caption caption--${line.speaker}${line.final ? '' : ' caption--interim'}`}>
                <span className="caption__speaker">{line.speaker === 'you' ? 'You' : 'Interviewer'}</span>
                <span className="caption__text">{line.text}</span>
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
