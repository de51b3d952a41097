/** Prometheus text exposition format (0.0.4), the little of it Nightshift needs. */

export type Labels = Readonly<Record<string, string>>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
  );
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** `# HELP`, `# TYPE` and one line per sample. */
export function family(
  name: string,
  type: "gauge" | "counter" | "histogram",
  help: string,
  samples: readonly { labels?: Labels; value: number; suffix?: string }[],
): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const s of samples) lines.push(`${name}${s.suffix ?? ""}${labelText(s.labels ?? {})} ${s.value}`);
  return `${lines.join("\n")}\n`;
}

/** A histogram with fixed buckets, per label set. */
export class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  constructor(readonly buckets: readonly number[]) {}

  observe(labels: Labels, value: number): void {
    const key = JSON.stringify(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]++;
    });
    s.sum += value;
    s.count++;
  }

  samples() {
    const out: { labels: Labels; value: number; suffix: string }[] = [];
    for (const s of this.series.values()) {
      for (const [i, b] of this.buckets.entries())
        out.push({ labels: { ...s.labels, le: String(b) }, value: s.counts[i], suffix: "_bucket" });
      out.push({ labels: { ...s.labels, le: "+Inf" }, value: s.count, suffix: "_bucket" });
      out.push({ labels: s.labels, value: s.sum, suffix: "_sum" });
      out.push({ labels: s.labels, value: s.count, suffix: "_count" });
    }
    return out;
  }
}
