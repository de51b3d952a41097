export const summary = "(not yet available)";

export default async function runCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift run: not yet available\n");
  return 2;
}
