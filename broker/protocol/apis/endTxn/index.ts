/** EndTxn (key 26), versions 0-2. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';

export type * from './types.ts';

export const endTxn = defineApi({
  name: 'EndTxn',
  apiKey: API_KEYS.EndTxn,
  flexibleFrom: 3,
  versions: { 0: v0, 1: v0, 2: v0 },
});
