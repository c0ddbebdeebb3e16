/// <reference types="vitest" />
// The build goes into the Python package, where `loadforge` serves it from.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "./",
  build: {
    outDir: "../src/loadforge/dashboard/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npm run dev` against `loadforge run --dashboard` on the default port.
    proxy: {
      "/api": "http://127.0.0.1:8089",
      "/ws": { target: "ws://127.0.0.1:8089", ws: true },
    },
  },
  test: {
    environment: "jsdom",
    // One jsdom per test file is most of the suite's time; vmThreads keeps the suite at
    // ~9 s instead of ~34 s on a loaded 2-core machine (forks and threads measured the same).
    pool: "vmThreads",
    globals: true,
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
