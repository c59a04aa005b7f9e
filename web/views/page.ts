/**
 * The page and the frames that SSE messages replace. A panel is a
 * `<section id="panel-…">`; the grid of panels is `<div id="panels">`. An SSE
 * message carries one or more of these with `hx-swap-oob`, so htmx swaps each
 * by its id and the rest of the page (focus, scroll, sort order) stays.
 *
 * dashboard.js comes before htmx: a deferred script may run after the SSE
 * connection has opened, and its listeners must not miss that event.
 */

import { panelId } from './format.ts';
import { html, type SafeHtml } from './html.ts';

export interface RenderedPanel {
  /** The table of a generic panel, or a live panel's key. */
  key: string;
  /** The section's id. */
  id: string;
  title: string;
  body: SafeHtml;
  wide?: boolean;
}

/** A generic panel's identity: its table. */
export function tablePanel(table: string, title: string, body: SafeHtml): RenderedPanel {
  return { key: table, id: panelId(table), title, body };
}

export function panelFrame(panel: RenderedPanel, oob = false): SafeHtml {
  const { id } = panel;
  return html`<section class="panel${panel.wide ? ' panel-wide' : ''}" id="${id}" aria-labelledby="${id}-title" data-panel="${panel.key}"${oob ? html` hx-swap-oob="true"` : ''}><h2 id="${id}-title">${panel.title}</h2>${panel.body}</section>`;
}

/**
 * What an SSE message carries for a panel with per-page state: a marker that
 * tells the page (dashboard.js) to re-fetch `target` with its own parameters.
 */
export function refreshMarker(id: string, target: string, stamp: string, oob = false): SafeHtml {
  return html`<span id="${id}-refresh" class="refresh-marker" data-target="${target}" data-stamp="${stamp}" hidden${oob ? html` hx-swap-oob="true"` : ''}></span>`;
}

export function panelGrid(panels: RenderedPanel[], oob = false): SafeHtml {
  const content =
    panels.length > 0
      ? panels.map((p) => panelFrame(p))
      : html`<p class="no-panels">No tables in the schema yet. Each table that appears (a metric sunk from ksqlDB) becomes a panel here.</p>`;
  return html`<div id="panels" class="panels"${oob ? html` hx-swap-oob="true"` : ''}>${content}</div>`;
}

export function page(panels: RenderedPanel[], options: { schema: string }): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Tally: live election results</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
<script src="/assets/vendor/htmx.min.js" defer></script>
<script src="/assets/vendor/hx-sse.js" defer></script>
</head>
<body>
<header class="masthead">
<h1>Tally <span class="subtitle">live election results</span></h1>
<p class="status" role="status" aria-live="polite" id="live-status" data-state="connecting">Connecting…</p>
</header>
<main hx-sse:connect="/events" id="live" data-schema="${options.schema}">
${panelGrid(panels)}
</main>
<footer class="footer"><p>Tables of schema <code>${options.schema}</code>, updated as they change. Times are UTC.</p></footer>
</body>
</html>
`;
}
