export const summary = "(not yet available)";

export default async function serveCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift serve: not yet available\n");
  return 2;
}
