/** Produce (key 0), versions 3-8. Records stay opaque Buffers. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v3 } from './v3.ts';
import { v5 } from './v5.ts';
import { v8 } from './v8.ts';

export type * from './types.ts';

export const produce = defineApi({
  name: 'Produce',
  apiKey: API_KEYS.Produce,
  flexibleFrom: 9,
  versions: { 3: v3, 4: v3, 5: v5, 6: v5, 7: v5, 8: v8 },
});
