/** Every route the sandbox serves, in match order. */
import type { Route } from "../http/router.js";
import { oaiRoutes } from "../oai/provider.js";
import { controlRoutes } from "./control.js";
import { tokenRoutes } from "./tokens.js";
import { v1BibRoutes } from "./v1-bibs.js";
import { v1HoldingRoutes } from "./v1-holdings.js";
import { v1LbdRoutes } from "./v1-lbds.js";
import { v2BibRoutes } from "./v2-bibs.js";
import { v2DiscoveryRoutes } from "./v2-discovery.js";
import { v2HoldingRoutes } from "./v2-holdings.js";
import { v2LbdRoutes } from "./v2-lbds.js";
import { v2LhrRoutes } from "./v2-lhrs.js";
import { v2SearchRoutes } from "./v2-search.js";

export const allRoutes: readonly Route[] = [
  ...tokenRoutes,
  ...v2BibRoutes,
  ...v2HoldingRoutes,
  ...v2LbdRoutes,
  ...v2SearchRoutes,
  ...v2LhrRoutes,
  ...v2DiscoveryRoutes,
  ...v1BibRoutes,
  ...v1HoldingRoutes,
  ...v1LbdRoutes,
  ...controlRoutes,
  ...oaiRoutes,
];
