/**
 * What a connected browser sees of the votes counted: one SSE connection to
 * the dashboard's `/events`, each message's `data-total="voted"` figure (the
 * totals panel) noted with the time it arrived (performance.now()).
 */
import type { Observation } from './arrivals.ts';

const VOTED = /data-total="voted">([\d,]+)</;

export interface DashboardTotals {
  observations: Observation[];
  close(): void;
}

/** Resolves once the first message (the whole grid, with the totals) has arrived. */
export async function watchDashboardTotals(dashboardUrl: string): Promise<DashboardTotals> {
  const stop = new AbortController();
  const response = await fetch(`${dashboardUrl}/events`, {
    headers: { accept: 'text/event-stream' },
    signal: stop.signal,
  });
  if (!response.ok || !response.body) throw new Error(`GET ${dashboardUrl}/events answered ${response.status}`);
  const observations: Observation[] = [];
  let first: () => void;
  const started = new Promise<void>((resolve) => {
    first = resolve;
  });
  const read = async () => {
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const at = performance.now();
      pending += decoder.decode(chunk, { stream: true });
      // An SSE message ends with a blank line; its data may span several `data:` lines.
      for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
        const message = pending.slice(0, end).replace(/\n(data: ?)?/g, '');
        pending = pending.slice(end + 2);
        const voted = VOTED.exec(message)?.[1];
        if (voted !== undefined) {
          observations.push({ at, total: Number(voted.replaceAll(',', '')) });
          first();
        }
      }
    }
  };
  read().catch((error: Error) => {
    if (!stop.signal.aborted) console.error(`the dashboard's event stream failed: ${error.message}`);
  });
  await started;
  return { observations, close: () => stop.abort() };
}
