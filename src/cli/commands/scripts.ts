export const summary = "(not yet available)";

export default async function scriptsCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift scripts: not yet available\n");
  return 2;
}
