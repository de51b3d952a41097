/** The REST API: `startServer(engine)` for `nightshift serve`; the user directory for `nightshift user`. */

export { InvalidUserError, UserError, UserExistsError, UserNotFoundError } from "./auth/errors.js";
export { ensureInitialAdmin, INITIAL_ADMIN_FILE, type InitialAdmin } from "./auth/initial-admin.js";
export {
  type ApiToken,
  createUserDirectory,
  ROLES,
  type User,
  type UserDirectory,
} from "./auth/users.js";
export type { ServerEngine } from "./context.js";
export { ApiError } from "./errors.js";
export type { ServerOptions } from "./options.js";
export { startHttpServer } from "./serve-hook.js";
export { createServer } from "./server.js";
export { initialAdminText, type RunningServer, type StartServerOptions, startServer } from "./start.js";
