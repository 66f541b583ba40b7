import { describe, expect, it } from 'vitest';
import { captionLines } from './captions';

const item = (identity: string, text: string, id: string, attributes: Record<string, string> = {}) => ({
  text,
  participantInfo: { identity },
  streamInfo: { id, attributes },
});

describe('captionLines', () => {
  it('labels both sides and marks interim user speech', () => {
    const lines = captionLines(
      [
        item('agent-1', 'Hello Ada, welcome.', 's1', { 'lk.segment_id': 'seg-1' }),
        item('candidate', 'Hi, thanks', 's2', { 'lk.segment_id': 'seg-2', 'lk.transcription_final': 'false' }),
        item('candidate', '   ', 's3'),
      ],
      'candidate',
    );
    expect(lines).toEqual([
      { id: 'seg-1', speaker: 'interviewer', text: 'Hello Ada, welcome.', final: true },
      { id: 'seg-2', speaker: 'you', text: 'Hi, thanks', final: false },
    ]);
  });

  it('keeps only the latest lines', () => {
    const items = Array.from({ length: 10 }, (_, i) => item('agent', `line ${i}`, `s${i}`));
    expect(captionLines(items, 'me', 3).map((l) => l.text)).toEqual(['line 7', 'line 8', 'line 9']);
  });
});
