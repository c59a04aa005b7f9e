/** FindCoordinator (key 10), versions 0-2. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';
import { v1 } from './v1.ts';

export type * from './types.ts';

export const findCoordinator = defineApi({
  name: 'FindCoordinator',
  apiKey: API_KEYS.FindCoordinator,
  flexibleFrom: 3,
  versions: { 0: v0, 1: v1, 2: v1 },
});
