export const summary = "(not yet available)";

export default async function processCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift process: not yet available\n");
  return 2;
}
