// Live updates: one EventSource on /admin/events per page, JSON events by topic, status for the UI.
import { useEffect, useRef, useState } from 'preact/hooks';

export type LiveState = 'connecting' | 'live' | 'offline' | 'off';

/**
 * Subscribes to the server-sent events of `topics` while `enabled`; calls `onEvent(topic, data)`
 * with each event's JSON. EventSource reconnects by itself after a network error; a refused
 * connection (e.g. the session ended) leaves the state `offline`.
 */
export function useLiveEvents(
  topics: readonly string[],
  onEvent: (topic: string, data: unknown) => void,
  enabled = true,
): LiveState {
  const [state, setState] = useState<LiveState>(enabled ? 'connecting' : 'off');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = topics.join(',');
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') {
      setState('off');
      return;
    }
    setState('connecting');
    const es = new EventSource(`/admin/events?topics=${encodeURIComponent(key)}`);
    es.onopen = () => setState('live');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    for (const topic of key.split(',')) {
      es.addEventListener(topic, (e) => {
        try {
          handler.current(topic, JSON.parse((e as MessageEvent<string>).data));
        } catch {
          /* a malformed event is skipped */
        }
      });
    }
    return () => es.close();
  }, [key, enabled]);
  return state;
}
