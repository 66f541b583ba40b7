export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="spinner" role="status">
      <span className="spinner__icon" aria-hidden="true" />
      <span className="spinner__label">{label}</span>
    </div>
  );
}
