/** Fetch (key 1), versions 4-11. Records stay opaque Buffers. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v4 } from './v4.ts';
import { v5 } from './v5.ts';
import { v7 } from './v7.ts';
import { v9 } from './v9.ts';
import { v11 } from './v11.ts';

export type * from './types.ts';

export const fetch = defineApi({
  name: 'Fetch',
  apiKey: API_KEYS.Fetch,
  flexibleFrom: 12,
  versions: { 4: v4, 5: v5, 6: v5, 7: v7, 8: v7, 9: v9, 10: v9, 11: v11 },
});
