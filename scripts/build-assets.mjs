// Builds the front end into static/dist: our Sass (with GOV.UK Frontend and MoJ Frontend) compiled to CSS,
// their scripts and assets copied from node_modules. Run by `npm run build` (the Makefile's setup step).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const dist = join(root, "static", "dist");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "css"), { recursive: true });
mkdirSync(join(dist, "js"), { recursive: true });

for (const [entry, output] of [
  ["main.scss", "main.css"],
  ["print.scss", "print.css"],
  ["pdf.scss", "pdf.css"],
]) {
  const result = sass.compile(join(root, "static", "src", entry), {
    loadPaths: [root, modules],
    style: "compressed",
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin", "slash-div", "color-functions"],
  });
  writeFileSync(join(dist, "css", output), result.css);
}

cpSync(join(modules, "govuk-frontend", "dist", "govuk", "assets"), join(dist, "assets"), { recursive: true });
cpSync(join(modules, "@ministryofjustice", "frontend", "moj", "assets"), join(dist, "assets", "moj"), {
  recursive: true,
});
cpSync(join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(dist, "js", "govuk-frontend.min.js"));
cpSync(
  join(modules, "@ministryofjustice", "frontend", "moj", "moj-frontend.min.js"),
  join(dist, "js", "moj-frontend.min.js"),
);
for (const file of ["app.mjs", "js-enabled.js", "timeout-warning.mjs"]) {
  cpSync(join(root, "static", "src", file), join(dist, "js", file));
}
console.log("Built front-end assets into static/dist");
