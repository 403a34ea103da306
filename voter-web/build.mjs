// Builds the phone app into dist/: one minified JS bundle with a content hash in its name (the SignalR client
// included); index.html with the CSS and the small script that loads the bundle (src/boot.js) inline, and a
// Content-Security-Policy that allows exactly those two; and sw.js, the service worker that keeps the page and the
// bundle for opening the app offline (src/sw.js, versioned by the bundle's hash).
//   node build.mjs          write dist/ (only files whose content changed are rewritten)
//   node build.mjs --check  exit 1 when dist/ is not what the sources build to (stale or hand-edited)
// The output is deterministic: the same sources and the same esbuild give the same bytes, so a committed dist/ that
// is up to date never shows as changed after a build.

import { build, transform } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const check = process.argv.includes("--check");

// Phones at a convention: a few years of iOS Safari and Android Chrome.
const target = ["es2019", "safari15", "chrome80", "firefox78"];

const js = await build({
  entryPoints: [join(src, "main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target,
  write: false,
  outdir: dist,
  entryNames: "app-[hash]",
  absWorkingDir: root, // the output must not depend on where the build is started from
  legalComments: "eof",
  // The SignalR client's notices are plain comments, which minifying drops: its licence travels with the bundle.
  banner: { js: "/*! Includes @microsoft/signalr, Copyright (c) .NET Foundation and Contributors, MIT License. */" },
  logLevel: "warning",
});
const css = await build({
  entryPoints: [join(src, "app.css")],
  absWorkingDir: root,
  bundle: true,
  minify: true,
  target,
  write: false,
  outdir: dist,
  logLevel: "warning",
});

const bundle = js.outputFiles.find((f) => f.path.endsWith(".js"));
const bundleName = bundle.path.slice(dist.length + 1);
const bundleUrl = `/voter/${bundleName}`;
const minified = async (file) => (await transform(readFileSync(join(src, file), "utf8"), { minify: true, target })).code.trim();
const boot = (await minified("boot.js")).replace("%JS%", bundleUrl);
const bootHash = createHash("sha256").update(boot).digest("base64");
const worker = (await minified("sw.js")).replace("%JS%", bundleUrl);
const style = css.outputFiles[0].text.trim();
const styleHash = createHash("sha256").update(style).digest("base64");
const csp = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${bootHash}'`,
  `style-src 'sha256-${styleHash}'`,
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
const html = readFileSync(join(src, "index.html"), "utf8")
  .replace("%CSP%", csp)
  .replace("%CSS%", () => style)
  .replace("%BOOT%", () => boot);

const outputs = new Map([
  ["index.html", Buffer.from(html)],
  [bundleName, Buffer.from(bundle.contents)],
  ["sw.js", Buffer.from(worker)],
]);

if (check) {
  const present = existsSync(dist) ? readdirSync(dist) : [];
  const stale = [...outputs].filter(([name, bytes]) => !present.includes(name) || !readFileSync(join(dist, name)).equals(bytes)).map(([n]) => n);
  const extra = present.filter((name) => !outputs.has(name));
  if (stale.length || extra.length) {
    console.error(`voter-web/dist is not what the sources build to (differs: ${[...stale, ...extra].join(", ")}). Run: npm run build --prefix voter-web`);
    process.exit(1);
  }
  console.log("voter-web/dist is up to date");
} else {
  mkdirSync(dist, { recursive: true });
  for (const name of readdirSync(dist)) if (!outputs.has(name)) rmSync(join(dist, name));
  for (const [name, bytes] of outputs) {
    const path = join(dist, name);
    if (!existsSync(path) || !readFileSync(path).equals(bytes)) writeFileSync(path, bytes);
  }
  console.log(`voter-web/dist: index.html (${outputs.get("index.html").length} B), ${bundleName} (${bundle.contents.length} B), sw.js (${worker.length} B)`);
}
