import { NightshiftError } from "../../errors.js";

/** Base of the user directory's errors (the CLI prints them; the REST layer maps them). */
export class UserError extends NightshiftError {}

export class UserExistsError extends UserError {
  constructor(readonly userName: string) {
    super(`a user named '${userName}' already exists`, "USER_EXISTS");
  }
}

export class UserNotFoundError extends UserError {
  constructor(readonly userName: string) {
    super(`no user named '${userName}'`, "USER_NOT_FOUND");
  }
}

export class InvalidUserError extends UserError {
  constructor(
    readonly field: "name" | "role" | "password" | "token",
    message: string,
  ) {
    super(message, "INVALID_USER");
  }
}
