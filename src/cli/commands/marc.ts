export const summary = "(not yet available)";

export default async function marcCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift marc: not yet available\n");
  return 2;
}
