/** Horizontal bars in plain SVG; the numbers are also in the text beside each bar. */
import { formatCount } from "../lib/format.ts";

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly className?: string;
}

export function BarChart({ bars, title }: { bars: readonly Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 28;
  const labelW = 90;
  const width = 480;
  const barW = width - labelW - 80;
  const summary = bars.map((b) => `${b.label}: ${formatCount(b.value)}`).join(", ");
  return (
    <svg
      className="bar-chart"
      viewBox={`0 0 ${width} ${bars.length * row + 4}`}
      role="img"
      aria-label={`${title}: ${summary}`}
    >
      <title>{`${title}: ${summary}`}</title>
      {bars.map((b, i) => {
        const w = b.value === 0 ? 0 : Math.max(2, (b.value / max) * barW);
        const y = i * row + 2;
        return (
          <g key={b.label}>
            <text x={labelW - 8} y={y + 17} textAnchor="end" className="bar-label">
              {b.label}
            </text>
            <rect
              x={labelW}
              y={y + 3}
              width={w}
              height={row - 8}
              rx={3}
              className={`bar ${b.className ?? ""}`}
            />
            <text x={labelW + w + 6} y={y + 17} className="bar-value">
              {formatCount(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
