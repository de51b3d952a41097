export const summary = "(not yet available)";

export default async function cancelCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift cancel: not yet available\n");
  return 2;
}
