/** AddOffsetsToTxn (key 25), versions 0-2. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';

export type * from './types.ts';

export const addOffsetsToTxn = defineApi({
  name: 'AddOffsetsToTxn',
  apiKey: API_KEYS.AddOffsetsToTxn,
  flexibleFrom: 3,
  versions: { 0: v0, 1: v0, 2: v0 },
});
