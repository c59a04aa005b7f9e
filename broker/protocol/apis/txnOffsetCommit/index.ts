/** TxnOffsetCommit (key 28), versions 0-2. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0, v2 } from './versions.ts';

export type * from './types.ts';

export const txnOffsetCommit = defineApi({
  name: 'TxnOffsetCommit',
  apiKey: API_KEYS.TxnOffsetCommit,
  flexibleFrom: 3,
  versions: { 0: v0, 1: v0, 2: v2 },
});
