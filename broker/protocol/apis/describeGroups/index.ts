/** DescribeGroups (key 15), versions 0-4. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';
import { v1 } from './v1.ts';
import { v3 } from './v3.ts';
import { v4 } from './v4.ts';

export type * from './types.ts';

export const describeGroups = defineApi({
  name: 'DescribeGroups',
  apiKey: API_KEYS.DescribeGroups,
  flexibleFrom: 5,
  versions: { 0: v0, 1: v1, 2: v1, 3: v3, 4: v4 },
});
