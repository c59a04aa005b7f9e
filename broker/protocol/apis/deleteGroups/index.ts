/** DeleteGroups (key 42), versions 0-1. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';

export type * from './types.ts';

export const deleteGroups = defineApi({
  name: 'DeleteGroups',
  apiKey: API_KEYS.DeleteGroups,
  flexibleFrom: 2,
  versions: { 0: v0, 1: v0 },
});
