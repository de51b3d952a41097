import { NightshiftError } from "../errors.js";

export class ScheduleNotFoundError extends NightshiftError {
  constructor(readonly schedule: string) {
    super(`no schedule named '${schedule}'`, "SCHEDULE_NOT_FOUND");
  }
}

export class ScheduleExistsError extends NightshiftError {
  constructor(readonly schedule: string) {
    super(`a schedule named '${schedule}' exists already`, "SCHEDULE_EXISTS");
  }
}

/** Config-defined schedules change in the config file only. */
export class ScheduleReadOnlyError extends NightshiftError {
  constructor(readonly schedule: string) {
    super(
      `schedule '${schedule}' is defined in the config file and is read-only through the API; change it there`,
      "SCHEDULE_READ_ONLY",
    );
  }
}

/** A built-in schedule (the nightly `retention`) is disabled or changed, never removed. */
export class ScheduleBuiltInError extends NightshiftError {
  constructor(readonly schedule: string) {
    super(
      `schedule '${schedule}' is built in and cannot be removed; disable it or change it (or set \`${schedule}: false\` in the config file)`,
      "SCHEDULE_BUILT_IN",
    );
  }
}
