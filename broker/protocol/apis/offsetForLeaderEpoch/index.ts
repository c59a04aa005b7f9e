/** OffsetForLeaderEpoch (key 23), versions 0-2. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0, v1, v2 } from './versions.ts';

export type * from './types.ts';

export const offsetForLeaderEpoch = defineApi({
  name: 'OffsetForLeaderEpoch',
  apiKey: API_KEYS.OffsetForLeaderEpoch,
  flexibleFrom: 4,
  versions: { 0: v0, 1: v1, 2: v2 },
});
