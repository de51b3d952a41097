// Copies the non-TypeScript files the sources load at run time (generated tables, seed data, web assets) into dist/.
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const src = "src";
const out = "dist";
const keep = /\.(json|xml|mrc|html|css|js|svg|txt|yaml)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (keep.test(name) && !name.endsWith(".d.ts")) {
      const target = join(out, relative(src, path));
      cpSync(path, target);
    }
  }
}
if (existsSync(src)) walk(src);
