/** ListGroups (key 16), versions 0-2. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';
import { v1 } from './v1.ts';

export type * from './types.ts';

export const listGroups = defineApi({
  name: 'ListGroups',
  apiKey: API_KEYS.ListGroups,
  flexibleFrom: 3,
  versions: { 0: v0, 1: v1, 2: v1 },
});
