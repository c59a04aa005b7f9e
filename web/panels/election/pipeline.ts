/**
 * Pipeline health: the Connect sink's consumer lag (from Kafka), votes
 * counted per second and the time since the last change (from the changes
 * the dashboard sees). Re-rendered every tick; "unknown" when Kafka cannot
 * be reached or is not configured.
 */

import type { KafkaLagProbe } from '../../pipeline/kafka-lag.ts';
import type { PipelineMonitor } from '../../pipeline/monitor.ts';
import { formatNumber } from '../../views/format.ts';
import { html } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';

function duration(ms: number): string {
  if (ms < 1000) return 'under a second';
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

export function pipelinePanel(monitor: PipelineMonitor, lag?: KafkaLagProbe): LivePanel {
  return {
    key: 'election-pipeline',
    title: 'Pipeline health',
    reads: [],
    ticks: true,
    async render(context) {
      const report = lag?.report;
      const lagValue =
        report?.state === 'known'
          ? report.groups.length === 0
            ? 'no sink group yet'
            : `${formatNumber(report.total)} records`
          : 'unknown';
      const lagNote =
        report?.state === 'known'
          ? report.groups.map((g) => html`<li><code>${g.group}</code>: ${formatNumber(g.lag)} behind</li>`)
          : html`<li>${report ? `Kafka: ${report.reason}` : 'Kafka is not configured for the dashboard'}</li>`;
      const freshness = monitor.freshness(context.now);
      const rate = monitor.votesPerSecond(context.now);
      return html`<dl class="totals"><div class="total"><dt>Sink consumer lag</dt><dd data-total="lag">${lagValue}</dd></div><div class="total"><dt>Votes counted per second</dt><dd data-total="rate">${formatNumber(Math.round(rate * 10) / 10)}</dd></div><div class="total"><dt>Since the last change</dt><dd data-total="freshness">${freshness === undefined ? 'no change yet' : duration(freshness)}</dd></div></dl><ul class="note-list">${lagNote}</ul>`;
    },
  };
}
