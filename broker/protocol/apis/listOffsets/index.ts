/** ListOffsets (key 2), versions 1-5. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v1 } from './v1.ts';
import { v2 } from './v2.ts';
import { v4 } from './v4.ts';

export type * from './types.ts';

export const listOffsets = defineApi({
  name: 'ListOffsets',
  apiKey: API_KEYS.ListOffsets,
  flexibleFrom: 6,
  versions: { 1: v1, 2: v2, 3: v2, 4: v4, 5: v4 },
});
