/** SaslHandshake (key 17), versions 0-1. */
import { defineApi } from '../../api.ts';
import { API_KEYS } from '../../api-keys.ts';
import { v0 } from './v0.ts';

export type * from './types.ts';

export const saslHandshake = defineApi({
  name: 'SaslHandshake',
  apiKey: API_KEYS.SaslHandshake,
  // Never flexible.
  flexibleFrom: Number.POSITIVE_INFINITY,
  versions: { 0: v0, 1: v0 },
});
