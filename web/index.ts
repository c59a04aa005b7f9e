/**
 * web/: the live dashboard. PostgreSQL is the source of truth; the browser
 * is told about changes, it never polls.
 *
 * The contract
 * ------------
 * - `startDashboard({ databaseUrl, schema, host, port, logger })` serves the
 *   dashboard and returns `{ url, port, stop() }`. `tally dashboard` runs it
 *   on TALLY_HOST:TALLY_DASHBOARD_PORT against the configured PostgreSQL.
 * - The election panels (panels/election/) read the metric tables of the
 *   sink contract (.scratch/contract.md): totals, leader, seats, votes by
 *   party and candidate, turnout with a drill-down, polling stations,
 *   hourly votes, methods, education, income, integrity, pipeline health.
 *   Each renders an empty state until its tables exist. Leader, winners,
 *   seats and top stations are SQL at read time (`ElectionQueries`).
 * - Every other ordinary table of `schema` (default `public`) is a generic
 *   panel: totals, a bar chart when it has a text and a numeric column, and
 *   its first 50 rows. A table created later appears within about a second,
 *   with no code change. `PanelRegistry.register(table, view)` gives a known
 *   table a specific panel instead of the generic one.
 * - Installs, idempotently, a statement-level trigger on each table of the
 *   schema that runs `pg_notify('tally_changes', <table name>)`
 *   (`installChangeTriggers`); `ChangeFeed` LISTENs and announces changes,
 *   coalesced to a few a second per table.
 * - HTTP, GET only: `/` (the page, rendered on the server), `/panels/:name`
 *   (one panel's HTML), `/events` (SSE: hx-swap-oob fragments of the panels
 *   that changed; every (re)connection first receives the current state),
 *   `/regions/:id` and `/stations?…` (htmx fragments), `/healthz` (200 when
 *   PostgreSQL answers, else 503), `/assets/*`. Every reply carries a CSP
 *   allowing only this origin, and no framing. The pool's sessions are
 *   read-only (default_transaction_read_only).
 */
export { buildDashboardApp, CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './app.ts';
export { type ChangeEvent, ChangeFeed, type ChangeFeedOptions } from './changes/change-feed.ts';
export { CHANGES_CHANNEL, installChangeTriggers } from './changes/triggers.ts';
export { dashboardCommand } from './cli.ts';
export { LiveHub, type LiveMessage } from './live/hub.ts';
export { Dashboard } from './panels/dashboard.ts';
export { contractDdl, ElectionQueries, electionPanels } from './panels/election/index.ts';
export { seedElection } from './panels/election/seed.ts';
export { genericPanel } from './panels/generic.ts';
export type { LivePanel, PanelContext } from './panels/live-panel.ts';
export { PanelRegistry, type PanelView } from './panels/registry.ts';
export type { TableInfo, TableSnapshot } from './panels/source.ts';
export { KafkaLagProbe, type LagReport } from './pipeline/kafka-lag.ts';
export { PipelineMonitor } from './pipeline/monitor.ts';
export { type DashboardServer, type DashboardServerOptions, startDashboard } from './server.ts';
export { html, raw, SafeHtml } from './views/html.ts';
