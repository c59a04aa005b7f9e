/** SaslAuthenticate (key 36), versions 0-1. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';
import { v1 } from './v1.ts';

export type * from './types.ts';

export const saslAuthenticate = defineApi({
  name: 'SaslAuthenticate',
  apiKey: API_KEYS.SaslAuthenticate,
  flexibleFrom: 2,
  versions: { 0: v0, 1: v1 },
});
