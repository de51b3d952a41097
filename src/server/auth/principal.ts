import type { User } from "./users.js";

/** Who is calling, and how they proved it. */
export interface Principal {
  readonly user: User;
  readonly via: "token" | "session";
  /** The API token's id (token logins only). */
  readonly tokenId?: number;
  /** The session's CSRF token (session logins only). */
  readonly csrfToken?: string;
  /** The session cookie's value (to close it on logout). */
  readonly sessionCookie?: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that is not public. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** `public`: no authentication (login, health, OpenAPI). Default: a user is required. */
    auth?: "public";
    /** Documentation of the route for the OpenAPI document (summary, responses, multipart body). */
    openapi?: import("../openapi/document.js").OperationDoc;
  }
}
