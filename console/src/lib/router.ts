// Client-side routing under /console: the path after the prefix, history navigation, link clicks.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

export interface Location {
  /** Path below /console, always starting with `/` (`/executions/abc`). */
  path: string;
  /** The query string with its `?`, or ''. */
  search: string;
}

function read(): Location {
  let path = window.location.pathname;
  if (path.startsWith(BASE)) path = path.slice(BASE.length);
  if (path === '') path = '/';
  return { path, search: window.location.search };
}

const listeners = new Set<() => void>();

/** Goes to `to` (a path below /console, with an optional query). */
export function navigate(to: string, replace = false): void {
  const url = BASE + to;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const l of listeners) l();
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = (): void => setLoc(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return loc;
}

/** A link click handled by the router (plain clicks only; new tab/window clicks stay the browser's). */
export function linkClick(e: MouseEvent, to: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
    return;
  e.preventDefault();
  navigate(to);
}
