/**
 * A region note turns with its page when a portal's viewer turns the pages: each corner of the
 * rectangle goes where pdf.js's clockwise rotation takes that point of the page.
 */
import { describe, expect, it } from 'vitest';
import { turnRegion } from './page-rotation.ts';

/** Where a point of the page (fractions) goes when the page turns clockwise by a quarter. */
const quarter = ([u, v]: readonly [number, number]): [number, number] => [1 - v, u];

describe('a region on a turned page', () => {
  const region = { x: 0.1, y: 0.06, w: 0.3, h: 0.08 };

  it('stays put when the page is not turned', () => {
    expect(turnRegion(region, 0)).toEqual(region);
  });

  it('covers the points the page’s own turn takes its corners to', () => {
    const corners = (r: typeof region): Array<[number, number]> => [
      [r.x, r.y],
      [r.x + r.w, r.y + r.h],
    ];
    const box = (points: Array<[number, number]>) => {
      const xs = points.map(([u]) => u);
      const ys = points.map(([, v]) => v);
      return { x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
    };
    let points = corners(region);
    for (const turn of [90, 180, 270] as const) {
      points = points.map(quarter);
      const turned = turnRegion(region, turn);
      const expected = box(points);
      for (const key of ['x', 'y', 'w', 'h'] as const) expect(turned[key], `${key} at ${turn}°`).toBeCloseTo(expected[key], 10);
    }
  });

  it('puts a rectangle in the top left corner in the top right after a quarter turn', () => {
    const turned = turnRegion({ x: 0, y: 0, w: 0.2, h: 0.1 }, 90);
    expect(turned).toEqual({ x: 0.9, y: 0, w: 0.1, h: 0.2 });
  });
});
