// Reloads a page's data every `ms` while the browser tab is visible (charts follow the clock).
import { useEffect } from 'preact/hooks';

export function useRefresh(reload: () => void, ms: number): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, ms);
    return () => clearInterval(timer);
  }, [reload, ms]);
}
