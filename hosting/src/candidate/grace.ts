/**
 * How the candidate's page states the rejoin grace period: the number of seconds the API returns with
 * the room token (the agent waits exactly that long for a candidate who left before it ends the
 * interview), never a fixed phrase.
 */
export function graceText(seconds: number | undefined): string | null {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return null;
  const whole = Math.floor(seconds);
  if (whole < 90) return `${whole} seconds`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  const minuteText = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return rest ? `${minuteText} ${rest} seconds` : minuteText;
}

/** The sentence that promises a rejoin, or says plainly that there is none. */
export function rejoinSentence(seconds: number | undefined): string {
  const grace = graceText(seconds);
  if (grace === null) {
    return seconds === undefined
      ? 'If you rejoin right away, the interview may continue.'
      : 'The interview ends as soon as you leave.';
  }
  return `You can rejoin within ${grace} and the interview continues where it stopped; after that it ends.`;
}

/** Whether the api gave a grace period the page can state as a number of seconds. */
export function knownGrace(seconds: number | undefined): seconds is number {
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0;
}
