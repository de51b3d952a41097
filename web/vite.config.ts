// Builds the browser UI into web/dist, which `nightshift serve` serves at `/` (see src/server/web-ui.ts).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  // `npm run dev:web`: the UI with hot reload against a server running on :8080.
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
});
