/** DeleteRecords (key 21), versions 0-1. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';

export type * from './types.ts';

export const deleteRecords = defineApi({
  name: 'DeleteRecords',
  apiKey: API_KEYS.DeleteRecords,
  flexibleFrom: 2,
  versions: { 0: v0, 1: v0 },
});
