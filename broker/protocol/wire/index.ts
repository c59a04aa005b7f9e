/** Kafka wire primitives: a bounds-checked Decoder and a growable, zero-copy-aware Encoder. */
export { Decoder } from './decoder.ts';
export { Encoder } from './encoder.ts';
