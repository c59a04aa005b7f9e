/**
 * The election's panels, in the order the page shows them. Every contract
 * table is read by one of them; any other table of the schema still gets the
 * generic panel.
 */
import type { KafkaLagProbe } from '../../pipeline/kafka-lag.ts';
import type { PipelineMonitor } from '../../pipeline/monitor.ts';
import type { LivePanel } from '../live-panel.ts';
import { educationPanel, hourlyPanel, incomePanel, methodsPanel } from './charts.ts';
import { integrityPanel } from './integrity.ts';
import { leaderPanel } from './leader.ts';
import { pipelinePanel } from './pipeline.ts';
import { seatsPanel } from './seats.ts';
import { stationsPanel } from './stations.ts';
import { totalsPanel } from './totals.ts';
import { regionPanel, turnoutPanel } from './turnout.ts';
import { candidatesPanel, partiesPanel } from './votes.ts';

export { CONTRACT_TABLE_NAMES, CONTRACT_TABLES, type ContractTable, contractDdl, INTEGRITY_KINDS } from './contract.ts';
export { ElectionQueries } from './queries.ts';

export function electionPanels(options: { monitor: PipelineMonitor; lag?: KafkaLagProbe }): LivePanel[] {
  return [
    totalsPanel(options.monitor),
    leaderPanel,
    seatsPanel,
    partiesPanel,
    candidatesPanel,
    turnoutPanel,
    regionPanel,
    stationsPanel,
    hourlyPanel,
    methodsPanel,
    educationPanel,
    incomePanel,
    integrityPanel,
    pipelinePanel(options.monitor, options.lag),
  ];
}
