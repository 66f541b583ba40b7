import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** Catches render errors and failed lazy chunk loads (e.g. after a deploy) and offers a reload. */
/** The fallback page's words; the candidate's pages pass their own language's. */
export interface ErrorBoundaryTexts {
  title: string;
  body: string;
  reload: string;
}

const ENGLISH: ErrorBoundaryTexts = {
  title: 'Something went wrong',
  body: 'The page could not be shown. Reloading usually helps.',
  reload: 'Reload the page',
};

export class ErrorBoundary extends Component<{ children: ReactNode; texts?: ErrorBoundaryTexts }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Unhandled UI error', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    const texts = this.props.texts ?? ENGLISH;
    return (
      <main className="page page--narrow" id="main">
        <div className="card">
          <h1>{texts.title}</h1>
          <p>{texts.body}</p>
          <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
            {texts.reload}
          </button>
        </div>
      </main>
    );
  }
}
