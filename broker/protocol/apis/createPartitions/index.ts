/** CreatePartitions (key 37), versions 0-1. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';

export type * from './types.ts';

export const createPartitions = defineApi({
  name: 'CreatePartitions',
  apiKey: API_KEYS.CreatePartitions,
  flexibleFrom: 2,
  versions: { 0: v0, 1: v0 },
});
