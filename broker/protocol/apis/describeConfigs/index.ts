/** DescribeConfigs (key 32), versions 0-3. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0, v1, v3 } from './versions.ts';

export type * from './types.ts';

export const describeConfigs = defineApi({
  name: 'DescribeConfigs',
  apiKey: API_KEYS.DescribeConfigs,
  flexibleFrom: 4,
  versions: { 0: v0, 1: v1, 2: v1, 3: v3 },
});
