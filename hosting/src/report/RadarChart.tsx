import { recruiterI18n } from '../i18n/recruiter';
import { labelPlacement, ringPoints, scorePoints, toPointsAttribute, pointAt, type RadarAxis, type RadarGeometry } from './radar';

interface RadarChartProps {
  axes: RadarAxis[];
  max?: number;
  size?: number;
  title?: string;
}

function shorten(label: string, max = 20): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * An SVG radar chart of scores 1-5. With fewer than three axes a radar says nothing, so the
 * caller shows bars instead (see ScoreBars). Not-assessed axes are drawn at the centre, dashed.
 */
export function RadarChart({ axes, max = 5, size = 360, title = recruiterI18n.t('radar.title') }: RadarChartProps) {
  // Room for labels of up to 20 characters plus the score on either side.
  const margin = 185;
  const g: RadarGeometry = { cx: size / 2 + margin, cy: size / 2 + 30, radius: size / 2 - 10, max };
  const width = size + margin * 2;
  const n = axes.length;
  // Crop the height to what is drawn (a triangle leaves the lower part of the circle empty).
  const ys = axes.flatMap((_, i) => [pointAt(g, g.radius, i, n).y, labelPlacement(i, n, g).y]);
  const top = Math.min(...ys, g.cy) - 24;
  const height = Math.max(...ys, g.cy) + 24 - top;
  const points = scorePoints(axes, g);
  const description = axes
    .map(
      (a) =>
        `${a.name}: ${a.score == null ? recruiterI18n.t('radar.notAssessed') : recruiterI18n.t('report.scoreOf', { score: a.score, max })}`,
    )
    .join('; ');
  return (
    <svg
      className="radar"
      viewBox={`0 ${top} ${width} ${height}`}
      role="img"
      aria-label={`${title}. ${description}`}
      preserveAspectRatio="xMidYMid meet"
    >
      <title>{title}</title>
      <g className="radar__grid">
        {Array.from({ length: max }, (_, k) => k + 1).map((level) => (
          <polygon key={level} points={toPointsAttribute(ringPoints(level, n, g))} data-level={level} />
        ))}
        {axes.map((axis, i) => {
          const end = pointAt(g, g.radius, i, n);
          return <line key={axis.name + i} x1={g.cx} y1={g.cy} x2={end.x} y2={end.y} />;
        })}
      </g>
      <polygon className="radar__area" points={toPointsAttribute(points)} />
      {axes.map((axis, i) => {
        const p = points[i];
        const label = labelPlacement(i, n, g);
        const assessed = axis.score != null;
        return (
          <g key={axis.name + i}>
            <circle className={assessed ? 'radar__dot' : 'radar__dot radar__dot--missing'} cx={p.x} cy={p.y} r={4} />
            <text
              className={assessed ? 'radar__label' : 'radar__label radar__label--missing'}
              x={label.x}
              y={label.y}
              textAnchor={label.anchor}
              dominantBaseline={label.baseline}
            >
              {shorten(axis.name)}
              <tspan className="radar__value"> {assessed ? axis.score : recruiterI18n.t('radar.na')}</tspan>
            </text>
          </g>
        );
      })}
    </svg>
  );
}
