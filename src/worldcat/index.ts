/** The WorldCat layer's public surface. */
export {
  accountLabel,
  describeAccount,
  inlineSecretProblem,
  parseAccount,
  resolveAccount,
  type ServiceAccount,
} from "./accounts.js";
export type { CurrentNumber } from "./api/bibs.js";
export type { HoldingChange, HoldingCode, HoldingStatus } from "./api/holdings.js";
export type { BriefBib, BriefBibsResult, SearchQuery } from "./api/search.js";
export type { ValidationMode, ValidationResult } from "./api/validation.js";
export { authorizationHeader, hmacSignature, normaliseQuery, stringToSign } from "./auth/hmac.js";
export type { AccessToken } from "./auth/tokens.js";
export { createWorldCatClient, type WorldCatClient, type WorldCatClientOptions } from "./client.js";
export {
  AccountConfigError,
  OutcomeUnknownError,
  type ValidationProblem,
  WorldCatError,
  WorldCatNetworkError,
} from "./errors.js";
export { redact, registerSecret } from "./redact.js";
