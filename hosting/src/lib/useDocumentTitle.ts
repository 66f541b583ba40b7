import { useEffect } from 'react';

/** Names the tab after the page, for bookmarks, history and screen readers. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · AI Interviewer` : 'AI Interviewer';
  }, [title]);
}
