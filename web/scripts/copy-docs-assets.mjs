// Copies Swagger UI's browser files next to the build, so the server's /docs
// page loads them from the package and never from a CDN (see
// src/loadforge/server/api/docs_page.py).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const source = dirname(require.resolve("swagger-ui-dist/package.json"));
const web = fileURLToPath(new URL("..", import.meta.url));
const out = join(web, "..", "src", "loadforge", "dashboard", "static", "swagger-ui");
mkdirSync(out, { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  copyFileSync(join(source, name), join(out, name));
}
console.log(`Swagger UI copied to ${out}`);
