export const summary = "(not yet available)";

export default async function workerCommand(_argv: string[]): Promise<number> {
  process.stderr.write("nightshift worker: not yet available\n");
  return 2;
}
