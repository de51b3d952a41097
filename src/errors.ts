/** One base class for every error Nightshift makes on purpose; subclasses carry data and build their message. */
export class NightshiftError extends Error {
  constructor(
    message: string,
    readonly code: string = "NIGHTSHIFT_ERROR",
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Turns any caught `unknown` into an Error (one place, as graphile-worker does). */
export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof err === "string") return new Error(err);
  try {
    return new Error(JSON.stringify(err) ?? String(err));
  } catch {
    // A cycle, a BigInt, or an object without a prototype (String() throws on that too).
    try {
      return new Error(String(err));
    } catch {
      return new Error(`a thrown ${typeof err} that cannot be shown`);
    }
  }
}
