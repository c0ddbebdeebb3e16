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
    globals: true,
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
