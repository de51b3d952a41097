import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Child `nightshift` processes spawned by tests run the sources, never a stale dist/.
    env: { NIGHTSHIFT_FROM_SOURCE: "1" },
  },
});
