/** CreateTopics (key 19), versions 0-4. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0, v1, v2 } from './versions.ts';

export type * from './types.ts';

export const createTopics = defineApi({
  name: 'CreateTopics',
  apiKey: API_KEYS.CreateTopics,
  flexibleFrom: 5,
  versions: { 0: v0, 1: v1, 2: v2, 3: v2, 4: v2 },
});
