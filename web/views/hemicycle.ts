/**
 * A parliament as a hemicycle: one dot per seat on concentric half rings,
 * filled left to right party by party (largest first), then the undeclared
 * seats in a neutral, hatched-looking class. Server-rendered SVG.
 */
import { fillAttribute } from './color.ts';
import { html, type SafeHtml } from './html.ts';

export interface SeatGroup {
  label: string;
  seats: number;
  color?: string | null;
}

const WIDTH = 420;
const HEIGHT = 220;
const CX = WIDTH / 2;
const CY = 205;
const OUTER = 195;

interface Spot {
  x: number;
  y: number;
  angle: number;
}

/** Seat positions, ordered by angle (left to right) so that parties occupy wedges. */
export function seatPositions(total: number): { spots: Spot[]; radius: number } {
  if (total <= 0) return { spots: [], radius: 0 };
  // Enough rows that the dots in the outer ring are about as far apart as the rings.
  const rows = Math.max(1, Math.min(12, Math.ceil(Math.sqrt(total / 4))));
  const inner = OUTER * 0.4;
  const ringGap = rows > 1 ? (OUTER - inner) / (rows - 1) : 0;
  const radii = Array.from({ length: rows }, (_, r) => inner + r * ringGap);
  const circumference = radii.reduce((sum, r) => sum + r, 0);
  const counts = radii.map((r) => Math.floor((total * r) / circumference));
  let missing = total - counts.reduce((a, b) => a + b, 0);
  for (let r = rows - 1; missing > 0; r = (r - 1 + rows) % rows, missing--) counts[r] = (counts[r] ?? 0) + 1;
  const spots: Spot[] = [];
  radii.forEach((radius, r) => {
    const n = counts[r] ?? 0;
    for (let i = 0; i < n; i++) {
      const angle = n === 1 ? Math.PI / 2 : Math.PI - (i / (n - 1)) * Math.PI;
      spots.push({ x: CX + radius * Math.cos(angle), y: CY - radius * Math.sin(angle), angle });
    }
  });
  spots.sort((a, b) => b.angle - a.angle);
  const dot = Math.min(
    ringGap > 0 ? ringGap * 0.42 : 12,
    ((Math.PI * OUTER) / Math.max(1, counts[rows - 1] ?? 1)) * 0.42,
    12,
  );
  return { spots, radius: Math.max(1.5, dot) };
}

export function hemicycle(groups: SeatGroup[], undeclared: number, options: { title: string }): SafeHtml {
  const total = groups.reduce((sum, g) => sum + g.seats, 0) + Math.max(0, undeclared);
  const { spots, radius } = seatPositions(total);
  const dots: SafeHtml[] = [];
  let next = 0;
  for (const group of groups) {
    for (let i = 0; i < group.seats; i++) {
      const spot = spots[next++];
      if (spot)
        dots.push(
          html`<circle class="seat"${fillAttribute(group.color)} cx="${spot.x.toFixed(1)}" cy="${spot.y.toFixed(1)}" r="${radius.toFixed(1)}"><title>${group.label}</title></circle>`,
        );
    }
  }
  for (; next < spots.length; next++) {
    const spot = spots[next] as Spot;
    dots.push(
      html`<circle class="seat seat-open" cx="${spot.x.toFixed(1)}" cy="${spot.y.toFixed(1)}" r="${radius.toFixed(1)}"><title>Undeclared</title></circle>`,
    );
  }
  return html`<svg class="chart hemicycle" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}" preserveAspectRatio="xMidYMin meet">${dots}</svg>`;
}
