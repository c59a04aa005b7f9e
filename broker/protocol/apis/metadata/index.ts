/** Metadata (key 3), versions 1-8. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v1, v2, v3, v4, v5, v6, v7, v8 } from './versions.ts';

export type * from './types.ts';

export const metadata = defineApi({
  name: 'Metadata',
  apiKey: API_KEYS.Metadata,
  flexibleFrom: 9,
  versions: { 1: v1, 2: v2, 3: v3, 4: v4, 5: v5, 6: v6, 7: v7, 8: v8 },
});
