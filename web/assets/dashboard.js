// The dashboard's only script of its own: sorting tables in the browser, kept
// across live updates; re-fetching the panels with per-page state (a filter,
// a drill-down) when the server says their data changed; and the connection
// status line. No inline script: the CSP allows scripts from this origin only.
(() => {
  /** panel id -> { column, direction }: the reader's choice, re-applied after each swap. */
  const sortChoices = new Map();
  /** refresh marker id -> the last stamp acted on. */
  const refreshed = new Map();

  function cellValue(row, index, numeric) {
    const raw = row.cells[index]?.dataset.sort ?? '';
    return numeric ? (raw === '' ? Number.NEGATIVE_INFINITY : Number(raw)) : raw;
  }

  function sortTable(table, index, direction) {
    const header = table.tHead.rows[0].cells[index];
    if (!header) return;
    const numeric = header.dataset.kind === 'number' || header.dataset.kind === 'time';
    const body = table.tBodies[0];
    const rows = [...body.rows].filter((row) => !row.querySelector('.empty'));
    const sign = direction === 'ascending' ? 1 : -1;
    rows.sort((a, b) => {
      const x = cellValue(a, index, numeric);
      const y = cellValue(b, index, numeric);
      return sign * (numeric ? x - y : String(x).localeCompare(String(y)));
    });
    body.append(...rows);
    for (const th of table.tHead.rows[0].cells) th.setAttribute('aria-sort', th === header ? direction : 'none');
  }

  document.addEventListener('click', (event) => {
    // Sorting in the browser is for tables whose headers carry no request of their own (the generic panels).
    const button = event.target.closest?.('button.sort:not([hx-get])');
    if (!button) return;
    const th = button.closest('th');
    const table = th.closest('table');
    const panel = th.closest('.panel');
    const direction = th.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
    sortTable(table, th.cellIndex, direction);
    if (panel) sortChoices.set(panel.id, { column: th.cellIndex, direction });
  });

  function reapplySorts() {
    for (const [id, choice] of sortChoices) {
      const table = document.getElementById(id)?.querySelector('table');
      if (table) sortTable(table, choice.column, choice.direction);
    }
  }

  /** marker id -> what its target showed before the message ([data-src]: the URL with this page's parameters). */
  let shownBefore = new Map();

  function shownSources() {
    const shown = new Map();
    for (const marker of document.querySelectorAll('.refresh-marker')) {
      const source = document.querySelector(marker.dataset.target)?.querySelector('[data-src]')?.dataset.src;
      if (source) shown.set(marker.id, source);
    }
    return shown;
  }

  /**
   * After a message: a marker with a new stamp means its data changed, so its
   * target is re-fetched with this page's parameters; a target reset by a
   * whole-grid message gets back what it showed.
   */
  function refreshMarked() {
    for (const marker of document.querySelectorAll('.refresh-marker')) {
      const stamp = marker.dataset.stamp;
      const target = document.querySelector(marker.dataset.target);
      const now = target?.querySelector('[data-src]')?.dataset.src;
      const before = shownBefore.get(marker.id);
      const changed = refreshed.get(marker.id) !== stamp;
      refreshed.set(marker.id, stamp);
      const source = before ?? now;
      if (source && (changed || source !== now) && globalThis.htmx)
        globalThis.htmx.ajax('GET', source, { target: marker.dataset.target });
    }
  }

  function setStatus(state, text) {
    const status = document.getElementById('live-status');
    // Only state changes are written: the line is an aria-live region, and an update a second would be noise.
    if (!status || status.textContent === text) return;
    status.dataset.state = state;
    status.textContent = text;
  }

  // Markers in the page as loaded are the current state, not news.
  document.addEventListener('DOMContentLoaded', () => {
    for (const marker of document.querySelectorAll('.refresh-marker')) refreshed.set(marker.id, marker.dataset.stamp);
  });
  document.addEventListener('htmx:after:swap', reapplySorts);
  document.addEventListener('htmx:sse:after:connection', () => setStatus('live', 'Live'));
  document.addEventListener('htmx:sse:before:message', () => {
    shownBefore = shownSources();
  });
  document.addEventListener('htmx:sse:after:message', () => {
    reapplySorts();
    refreshMarked();
    setStatus('live', 'Live');
  });
  document.addEventListener('htmx:sse:error', () => setStatus('offline', 'Reconnecting…'));
  document.addEventListener('htmx:sse:close', () => setStatus('offline', 'Disconnected'));
})();
