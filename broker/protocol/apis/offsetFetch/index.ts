/** OffsetFetch (key 9), versions 1-5. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v1, v2, v3, v4, v5 } from './versions.ts';

export type * from './types.ts';

export const offsetFetch = defineApi({
  name: 'OffsetFetch',
  apiKey: API_KEYS.OffsetFetch,
  flexibleFrom: 6,
  versions: { 1: v1, 2: v2, 3: v3, 4: v4, 5: v5 },
});
