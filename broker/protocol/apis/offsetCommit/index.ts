/** OffsetCommit (key 8), versions 2-7. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v2, v3, v4, v5, v6, v7 } from './versions.ts';

export type * from './types.ts';

export const offsetCommit = defineApi({
  name: 'OffsetCommit',
  apiKey: API_KEYS.OffsetCommit,
  flexibleFrom: 8,
  versions: { 2: v2, 3: v3, 4: v4, 5: v5, 6: v6, 7: v7 },
});
