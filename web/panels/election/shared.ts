/** Helpers shared by the election panels: their queries from a panel context, labels, the avatar. */
import { humanise } from '../../views/format.ts';
import { html, type SafeHtml } from '../../views/html.ts';
import type { PanelContext } from '../live-panel.ts';
import { ElectionQueries } from './queries.ts';

export function queriesOf(context: PanelContext): ElectionQueries {
  return new ElectionQueries(context.db, context.schema, context.tables);
}

/** A candidate's name, or their id while dim_candidates has not arrived. */
export function candidateName(candidate: { candidate_id: string; name: string | null }): string {
  return candidate.name ?? candidate.candidate_id;
}

export function partyName(party: { party_id: string | null; name?: string | null }): string {
  return party.name ?? party.party_id ?? 'unknown party';
}

/** `no_qualifications` -> `No qualifications`. */
export const label = humanise;

const PHOTO = /^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/;

/** The candidate's avatar (a data: URI SVG, which the CSP's img-src allows), or nothing if it is not one. */
export function avatar(photo: string | null, name: string): SafeHtml {
  if (!photo || !PHOTO.test(photo)) return html``;
  return html`<img class="avatar" src="${photo}" alt="Portrait of ${name}" width="72" height="72">`;
}

/** A small swatch in a party's colour (SVG, so that the colour is an attribute, not an inline style). */
export function swatch(color: string | null): SafeHtml {
  const fill = color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : undefined;
  return fill
    ? html`<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${fill}"></rect></svg>`
    : html``;
}
