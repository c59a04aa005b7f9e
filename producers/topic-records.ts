/**
 * An election as the records of each topic, ready for a RecordSink: keys,
 * JSON values and record timestamps. Timestamps are event times, so that
 * ksqlDB (which processes co-partitioned inputs in timestamp order) sees
 * every voter and candidate before any vote:
 *   votes       cast_at
 *   voters      registered_at (registration closes days before polling day)
 *   candidates, regions, constituencies, polling_stations, parties
 *               the close of nominations, before polling day
 * Malformed votes go out as their raw text.
 */
import type { Election } from './election.ts';
import type { OutgoingRecord } from './kafka/index.ts';
import type { ElectionTopic } from './kafka/topics.ts';
import { RECORD_KEYS } from './model.ts';

const DAY_MS = 86_400_000;
/** Nominations close weeks before polling day (19 working days in the UK); 28 days is near enough. */
export const NOMINATIONS_CLOSE_DAYS = 28;

export interface TopicRecords {
  /** The topic's name: an election topic, or another (benchmarks write to their own). */
  topic: string;
  /** How many records `records()` yields. */
  total: number;
  /** The records, fresh objects at each call, so that the reader may complete them (placement.ts sets the partition). */
  records(): Iterable<OutgoingRecord>;
}

export function topicRecords(election: Election, topic: ElectionTopic): TopicRecords {
  switch (topic) {
    case 'regions':
    case 'constituencies':
    case 'polling_stations':
    case 'parties':
      return placesAndParties(election, topic);
    case 'candidates': {
      const timestamp = nominationsClose(election);
      return {
        topic,
        total: election.candidates.length,
        records: () =>
          election.candidateRecords().map(({ key, value }) => ({ key, value: JSON.stringify(value), timestamp })),
      };
    }
    case 'voters':
      return {
        topic,
        total: election.voterCount,
        *records() {
          for (const { key, value } of election.voters()) {
            yield { key, value: JSON.stringify(value), timestamp: value.registered_at };
          }
        },
      };
    case 'votes':
      return {
        topic,
        total: election.voteRecordCount,
        records: () => election.serializedVotes(),
      };
  }
}

const nominationsClose = (election: Election) => election.polling.opens_at - NOMINATIONS_CLOSE_DAYS * DAY_MS;

type SmallTopic = 'regions' | 'constituencies' | 'polling_stations' | 'parties';

/** The small tables: every record keyed by its id field (RECORD_KEYS), stamped with the close of nominations. */
function placesAndParties(election: Election, topic: SmallTopic): TopicRecords {
  const rows: readonly Record<string, unknown>[] = {
    regions: election.regions,
    constituencies: election.constituencies,
    polling_stations: election.pollingStations,
    parties: election.parties,
  }[topic];
  const keyField = RECORD_KEYS[topic];
  const timestamp = nominationsClose(election);
  return {
    topic,
    total: rows.length,
    records: () => rows.map((row) => ({ key: String(row[keyField]), value: JSON.stringify(row), timestamp })),
  };
}
