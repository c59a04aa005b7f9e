/** JoinGroup (key 11), versions 0-5. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';
import { v1 } from './v1.ts';
import { v2 } from './v2.ts';
import { v5 } from './v5.ts';

export type * from './types.ts';

export const joinGroup = defineApi({
  name: 'JoinGroup',
  apiKey: API_KEYS.JoinGroup,
  flexibleFrom: 6,
  versions: { 0: v0, 1: v1, 2: v2, 3: v2, 4: v2, 5: v5 },
});
