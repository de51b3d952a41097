export const summary = "(not yet available)";

export default async function processesCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift processes: not yet available\n");
  return 2;
}
