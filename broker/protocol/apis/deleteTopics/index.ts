/** DeleteTopics (key 20), versions 0-3. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0, v1 } from './versions.ts';

export type * from './types.ts';

export const deleteTopics = defineApi({
  name: 'DeleteTopics',
  apiKey: API_KEYS.DeleteTopics,
  flexibleFrom: 4,
  versions: { 0: v0, 1: v1, 2: v1, 3: v1 },
});
