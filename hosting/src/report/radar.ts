/**
 * Geometry of the radar chart, pure so it can be tested: axis i of n points from the centre,
 * the first straight up, the rest clockwise; a score s of max lies at s/max of the radius.
 */

export interface RadarAxis {
  name: string;
  /** 1-5, or null when not assessed (drawn at the centre and marked). */
  score: number | null;
}

export interface RadarGeometry {
  cx: number;
  cy: number;
  radius: number;
  max: number;
}

export interface Point {
  x: number;
  y: number;
}

const round = (value: number) => Math.round(value * 100) / 100 + 0; // + 0 turns -0 into 0

/** Angle in radians of axis i of n: -90° (up) for the first, clockwise after. */
export function axisAngle(i: number, n: number): number {
  return -Math.PI / 2 + (2 * Math.PI * i) / n;
}

export function pointAt(g: Pick<RadarGeometry, 'cx' | 'cy'>, distance: number, i: number, n: number): Point {
  const angle = axisAngle(i, n);
  return { x: round(g.cx + distance * Math.cos(angle)), y: round(g.cy + distance * Math.sin(angle)) };
}

/** Clamp a score into [0, max]; null, NaN and missing count as 0. */
export function clampScore(score: number | null | undefined, max: number): number {
  if (typeof score !== 'number' || !Number.isFinite(score)) return 0;
  return Math.min(max, Math.max(0, score));
}

/** The vertex of each axis for its score. */
export function scorePoints(axes: RadarAxis[], g: RadarGeometry): Point[] {
  return axes.map((axis, i) => pointAt(g, (clampScore(axis.score, g.max) / g.max) * g.radius, i, axes.length));
}

/** The grid polygon at `level` (e.g. 1..5) for n axes. */
export function ringPoints(level: number, n: number, g: RadarGeometry): Point[] {
  return Array.from({ length: n }, (_, i) => pointAt(g, (level / g.max) * g.radius, i, n));
}

/** "x1,y1 x2,y2 …" for an SVG <polygon points>. */
export function toPointsAttribute(points: Point[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

/** Where a label sits (a little beyond the rim) and how it is anchored so it never overlaps the chart. */
export function labelPlacement(
  i: number,
  n: number,
  g: RadarGeometry,
  offset = 14,
): Point & { anchor: 'start' | 'middle' | 'end'; baseline: 'auto' | 'middle' | 'hanging' } {
  const p = pointAt(g, g.radius + offset, i, n);
  const dx = p.x - g.cx;
  const dy = p.y - g.cy;
  const anchor = Math.abs(dx) < 1 ? 'middle' : dx > 0 ? 'start' : 'end';
  const baseline = Math.abs(dy) < 1 ? 'middle' : dy < 0 ? 'auto' : 'hanging';
  return { ...p, anchor, baseline };
}
