export const summary = "(not yet available)";

export default async function sandboxCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift sandbox: not yet available\n");
  return 2;
}
