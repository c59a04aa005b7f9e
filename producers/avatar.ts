/**
 * Candidate portraits as small SVG drawings: deterministic from a seed, no
 * network, no image files. The jacket wears the party colour.
 */
import { Random } from './random.ts';

const SKIN = ['#f5d0b5', '#eec1a0', '#e0ac84', '#c68a62', '#a86f4c', '#7a4a2e', '#5b3620'];
const HAIR = ['#1a1a1a', '#2b1b12', '#4a2f1b', '#8a5a2b', '#c9a36b', '#b5502d', '#9e9e9e', '#dcdcdc'];

const HAIR_STYLES = {
  short: 'M31 40C29 13 67 13 65 40C61 29 35 29 31 40Z',
  long: 'M29 42C25 11 71 11 67 42L69 66H59L62 37C56 29 40 29 34 37L37 66H27Z',
  bun: 'M31 40C29 13 67 13 65 40C61 29 35 29 31 40ZM48 8a7 7 0 1 0 .1 0Z',
  side: 'M30 42C27 14 65 10 66 38C58 27 44 26 36 34C34 36 32 38 30 42Z',
  none: '',
} as const;

type HairStyle = keyof typeof HAIR_STYLES;

export interface AvatarOptions {
  seed: number;
  /** The fill of the jacket, a CSS colour. */
  partyColor: string;
  /** Shifts the likely hair styles; the drawing is not a statement about anyone. */
  presentation: 'female' | 'male';
}

/** The SVG markup of a portrait. */
export function avatarSvg({ seed, partyColor, presentation }: AvatarOptions): string {
  const random = new Random(seed, 0xa7a7);
  const skin = random.pick(SKIN);
  const hair = random.pick(HAIR);
  const style: HairStyle =
    presentation === 'female'
      ? random.pick<HairStyle>(['long', 'long', 'bun', 'side', 'short'])
      : random.pick<HairStyle>(['short', 'short', 'side', 'none', 'long']);
  const glasses = random.chance(0.25);
  const smile = 50 + random.between(1, 4);
  const background = tint(partyColor, 0.82);
  const parts = [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96">',
    `<rect width="96" height="96" rx="12" fill="${background}"/>`,
    style === 'long' ? `<path d="${HAIR_STYLES.long}" fill="${hair}"/>` : '',
    `<path d="M14 96C14 73 29 63 48 63S82 73 82 96Z" fill="${partyColor}"/>`,
    `<path d="M42 56h12v9l-6 7-6-7Z" fill="${skin}"/>`,
    '<path d="M40 64l8 11 8-11" fill="#ffffff"/>',
    `<ellipse cx="48" cy="41" rx="16" ry="19" fill="${skin}"/>`,
    style !== 'long' && style !== 'none' ? `<path d="${HAIR_STYLES[style]}" fill="${hair}"/>` : '',
    '<circle cx="42" cy="41" r="1.8" fill="#222222"/><circle cx="54" cy="41" r="1.8" fill="#222222"/>',
    glasses
      ? '<g fill="none" stroke="#333333" stroke-width="1.4"><circle cx="42" cy="41" r="4.6"/><circle cx="54" cy="41" r="4.6"/><path d="M46.6 41h2.8"/></g>'
      : '',
    `<path d="M43 ${smile}Q48 ${smile + 4} 53 ${smile}" stroke="#6b3a2a" stroke-width="1.6" fill="none" stroke-linecap="round"/>`,
    '</svg>',
  ];
  return parts.join('');
}

/** The portrait as a data URI, usable as an <img src> and storable in a string column. */
export function avatarDataUri(options: AvatarOptions): string {
  return `data:image/svg+xml;base64,${Buffer.from(avatarSvg(options), 'utf8').toString('base64')}`;
}

/** Mixes a #rrggbb colour with white by `amount` (0..1). */
function tint(hex: string, amount: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => {
    const c = (value >> shift) & 255;
    return Math.round(c + (255 - c) * amount)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(16)}${channel(8)}${channel(0)}`;
}
