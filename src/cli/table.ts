/** Columns padded to the widest cell, two spaces apart, no trailing blanks: the CLI's one table layout. */
export function table(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "";
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
