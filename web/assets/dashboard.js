// The dashboard's only script of its own: sorting tables in the browser, kept
// across live updates, and the connection status line. No inline script: the
// CSP allows scripts from this origin only.
(() => {
  /** panel id -> { column, direction }: the reader's choice, re-applied after each swap. */
  const sortChoices = new Map();

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
    const button = event.target.closest?.('button.sort');
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

  function setStatus(state, text) {
    const status = document.getElementById('live-status');
    // Only state changes are written: the line is an aria-live region, and an update a second would be noise.
    if (!status || status.textContent === text) return;
    status.dataset.state = state;
    status.textContent = text;
  }

  document.addEventListener('htmx:after:swap', reapplySorts);
  document.addEventListener('htmx:sse:after:connection', () => setStatus('live', 'Live'));
  document.addEventListener('htmx:sse:after:message', () => {
    reapplySorts();
    setStatus('live', 'Live');
  });
  document.addEventListener('htmx:sse:error', () => setStatus('offline', 'Reconnecting…'));
  document.addEventListener('htmx:sse:close', () => setStatus('offline', 'Disconnected'));
})();
