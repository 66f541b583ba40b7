/** Shapes LiveKit text-stream transcriptions (topic lk.transcription) into caption lines. Pure. */

export interface TranscriptionLike {
  text: string;
  participantInfo: { identity: string };
  streamInfo: { id: string; attributes?: Record<string, string> };
}

export interface CaptionLine {
  id: string;
  speaker: 'you' | 'interviewer';
  text: string;
  final: boolean;
}

export function captionLines(items: TranscriptionLike[], localIdentity: string, max = 6): CaptionLine[] {
  const lines: CaptionLine[] = [];
  for (const item of items) {
    const text = item.text.trim();
    if (!text) continue;
    const attributes = item.streamInfo.attributes ?? {};
    lines.push({
      id: attributes['lk.segment_id'] || item.streamInfo.id,
      speaker: item.participantInfo.identity === localIdentity ? 'you' : 'interviewer',
      text,
      // Agent speech streams carry no "final" flag; only user STT marks interim results as "false".
      final: attributes['lk.transcription_final'] !== 'false',
    });
  }
  return lines.slice(-max);
}
