export const summary = "(not yet available)";

export default async function worldcatCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift worldcat: not yet available\n");
  return 2;
}
