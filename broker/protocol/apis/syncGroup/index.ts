/** SyncGroup (key 14), versions 0-3. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';
import { v1 } from './v1.ts';
import { v3 } from './v3.ts';

export type * from './types.ts';

export const syncGroup = defineApi({
  name: 'SyncGroup',
  apiKey: API_KEYS.SyncGroup,
  flexibleFrom: 4,
  versions: { 0: v0, 1: v1, 2: v1, 3: v3 },
});
