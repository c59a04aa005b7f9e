/**
 * Colours from the data (a party's `color`) go into SVG `fill` attributes,
 * which the CSP allows (they are not inline styles). Only `#rrggbb` is
 * accepted: anything else falls back to the theme's colour.
 */
import { html, type SafeHtml } from './html.ts';

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function safeColor(color: string | null | undefined): string | undefined {
  return color && HEX_COLOR.test(color) ? color.toLowerCase() : undefined;
}

/** ` fill="#rrggbb"`, or nothing (the CSS class colours it). */
export function fillAttribute(color: string | null | undefined): SafeHtml {
  const safe = safeColor(color);
  return safe ? html` fill="${safe}"` : html``;
}

/** A neutral palette for series without a colour of their own (methods, hours), readable in light and dark. */
export const SERIES_COLORS = ['#2f6fd0', '#d9822b', '#3a9d23', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d'];
