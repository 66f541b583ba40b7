import { describe, expect, it } from 'vitest';
import { axisAngle, clampScore, labelPlacement, pointAt, ringPoints, scorePoints, toPointsAttribute, type RadarGeometry } from './radar';

const g: RadarGeometry = { cx: 100, cy: 100, radius: 50, max: 5 };

describe('radar geometry', () => {
  it('starts at the top and goes clockwise', () => {
    expect(axisAngle(0, 4)).toBeCloseTo(-Math.PI / 2);
    expect(pointAt(g, 50, 0, 4)).toEqual({ x: 100, y: 50 }); // up
    expect(pointAt(g, 50, 1, 4)).toEqual({ x: 150, y: 100 }); // right
    expect(pointAt(g, 50, 2, 4)).toEqual({ x: 100, y: 150 }); // down
    expect(pointAt(g, 50, 3, 4)).toEqual({ x: 50, y: 100 }); // left
  });

  it('places a score at score/max of the radius', () => {
    const points = scorePoints(
      [
        { name: 'a', score: 5 },
        { name: 'b', score: 2.5 },
        { name: 'c', score: 1 },
        { name: 'd', score: null },
      ],
      g,
    );
    expect(points[0]).toEqual({ x: 100, y: 50 });
    expect(points[1]).toEqual({ x: 125, y: 100 });
    expect(points[2]).toEqual({ x: 100, y: 110 });
    expect(points[3]).toEqual({ x: 100, y: 100 }); // not assessed: the centre
  });

  it('clamps out-of-range and invalid scores', () => {
    expect(clampScore(7, 5)).toBe(5);
    expect(clampScore(-1, 5)).toBe(0);
    expect(clampScore(Number.NaN, 5)).toBe(0);
    expect(clampScore(undefined, 5)).toBe(0);
  });

  it('builds a regular ring with one vertex per axis', () => {
    const ring = ringPoints(5, 3, g);
    expect(ring).toHaveLength(3);
    const distances = ring.map((p) => Math.hypot(p.x - g.cx, p.y - g.cy));
    distances.forEach((d) => expect(d).toBeCloseTo(50, 1));
    expect(ring[1].x).toBeGreaterThan(g.cx);
    expect(ring[2].x).toBeLessThan(g.cx);
    expect(toPointsAttribute(ringPoints(1, 4, g))).toBe('100,90 110,100 100,110 90,100');
  });

  it('anchors labels away from the chart', () => {
    expect(labelPlacement(0, 4, g)).toMatchObject({ anchor: 'middle', baseline: 'auto' });
    expect(labelPlacement(1, 4, g)).toMatchObject({ anchor: 'start', baseline: 'middle' });
    expect(labelPlacement(2, 4, g)).toMatchObject({ anchor: 'middle', baseline: 'hanging' });
    expect(labelPlacement(3, 4, g)).toMatchObject({ anchor: 'end', baseline: 'middle' });
    expect(labelPlacement(1, 4, g, 10).x).toBe(160);
  });
});
