import { Spinner } from '../components/Spinner';

interface JoiningStepProps {
  attempt: number;
  lostConnection?: boolean;
  onLeave?: () => void;
}

export function JoiningStep({ attempt, lostConnection = false, onLeave }: JoiningStepProps) {
  const retrying = attempt > 0;
  const title = lostConnection ? 'Connection lost. Rejoining…' : retrying ? 'Still connecting…' : 'Joining the interview…';
  return (
    <div className="card candidate-card center">
      <h1>{title}</h1>
      <Spinner label={retrying ? `Trying again (attempt ${attempt})` : 'Connecting to the interview room'} />
      {retrying && <p className="muted">Stay on this page; the interview continues when you are connected.</p>}
      {retrying && onLeave && (
        <button type="button" className="button button--ghost" onClick={onLeave}>
          Stop trying
        </button>
      )}
    </div>
  );
}
