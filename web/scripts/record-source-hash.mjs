// Records a hash of the front end's sources next to the build, so a Python
// test can tell when the committed build is older than web/src.
// The same algorithm lives in tests/unit/dashboard/test_static_build.py.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const web = fileURLToPath(new URL("..", import.meta.url));
const TOP_LEVEL = [
  "index.html",
  "package.json",
  "package-lock.json",
  "postcss.config.js",
  "tailwind.config.js",
  "tsconfig.json",
  "vite.config.ts",
];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function sourceHash() {
  const files = [...TOP_LEVEL.map((name) => join(web, name)), ...walk(join(web, "src"))];
  const entries = files.map((path) => relative(web, path).split("\\").join("/")).sort();
  const hash = createHash("sha256");
  for (const name of entries) {
    const digest = createHash("sha256").update(readFileSync(join(web, name))).digest("hex");
    hash.update(`${name}\n${digest}\n`);
  }
  return hash.digest("hex");
}

const out = join(web, "..", "src", "loadforge", "dashboard", "static", "source-hash.txt");
writeFileSync(out, `${sourceHash()}\n`);
console.log(`source hash written to ${relative(process.cwd(), out)}`);
