// Builds the phone app into dist/: one minified JS bundle with a content hash in its name (the SignalR client
// included); index.html with the CSS and the small script that loads the bundle (src/boot.js) inline, and a
// Content-Security-Policy that allows exactly those two; and sw.js, the service worker that keeps the page and the
// bundle for opening the app offline (src/sw.js, versioned by the bundle's hash); the screen view's page and bundle (src/screen/, docs/screen.md);
// and the entry portal's page and bundle (src/enter/, docs/entries.md).
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

const signalrNotice = "/*! Includes @microsoft/signalr, Copyright (c) .NET Foundation and Contributors, MIT License. */";

/** One page's script, bundled and minified, named `{prefix}-{content hash}.js`: its output file and that name. */
async function script(entry, prefix, notice = signalrNotice) {
  const result = await build({
    entryPoints: [join(src, entry)],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target,
    write: false,
    outdir: dist,
    entryNames: `${prefix}-[hash]`,
    absWorkingDir: root, // the output must not depend on where the build is started from
    legalComments: "eof",
    // The SignalR client's notices are plain comments, which minifying drops: its licence travels with the bundle.
    banner: notice ? { js: notice } : undefined,
    logLevel: "warning",
  });
  const file = result.outputFiles.find((f) => f.path.endsWith(".js"));
  return { file, name: file.path.slice(dist.length + 1) };
}

/** One page's CSS, minified, as text to put inline. */
async function styles(entry) {
  const result = await build({
    entryPoints: [join(src, entry)],
    absWorkingDir: root,
    bundle: true,
    minify: true,
    target,
    write: false,
    outdir: dist,
    logLevel: "warning",
  });
  return result.outputFiles[0].text.trim();
}

/** A file of src/ minified on its own (not bundled): the phone page's inline loader, the service worker. */
const minified = async (file) => (await transform(readFileSync(join(src, file), "utf8"), { minify: true, target })).code.trim();

const sha256 = (text) => createHash("sha256").update(text).digest("base64");

/** A page's HTML: its CSS inline and a Content-Security-Policy that allows exactly that CSS and, when the page has
 * one, its inline loader (`%BOOT%`); its bundle by URL (`%JS%`); what it may connect to (`connect`). */
function page(file, style, scriptUrl, boot = null, connect = "'self' ws: wss:") {
  const csp = [
    "default-src 'none'",
    boot ? `script-src 'self' 'sha256-${sha256(boot)}'` : "script-src 'self'",
    `style-src 'sha256-${sha256(style)}'`,
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return readFileSync(join(src, file), "utf8")
    .replace("%CSP%", csp)
    .replace("%CSS%", () => style)
    .replace("%JS%", scriptUrl)
    .replace("%BOOT%", () => boot ?? "");
}

// The phone app: its page loads the bundle through a small inline loader that retries it, and a service worker keeps
// both for a reload offline (docs/voter-web.md).
const { file: bundle, name: bundleName } = await script("main.js", "app");
const bundleUrl = `/voter/${bundleName}`;
const boot = (await minified("boot.js")).replace("%JS%", bundleUrl);
const worker = (await minified("sw.js")).replace("%JS%", bundleUrl);
const html = page("index.html", await styles("app.css"), bundleUrl, boot);

// The screen view (/screen, docs/screen.md): its own small page and bundle, the same SignalR client.
const { file: screenBundle, name: screenBundleName } = await script(join("screen", "screen.js"), "screen");
const screenHtml = page(join("screen", "screen.html"), await styles(join("screen", "screen.css")), `/voter/${screenBundleName}`);

// The entry portal (/enter, docs/entries.md): its own page and bundle, no SignalR; it talks to this server over HTTP only.
const { file: enterBundle, name: enterBundleName } = await script(join("enter", "enter.js"), "enter", null);
const enterHtml = page(join("enter", "enter.html"), await styles(join("enter", "enter.css")), `/voter/${enterBundleName}`, null, "'self'");

const outputs = new Map([
  ["index.html", Buffer.from(html)],
  [bundleName, Buffer.from(bundle.contents)],
  ["sw.js", Buffer.from(worker)],
  ["screen.html", Buffer.from(screenHtml)],
  [screenBundleName, Buffer.from(screenBundle.contents)],
  ["enter.html", Buffer.from(enterHtml)],
  [enterBundleName, Buffer.from(enterBundle.contents)],
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
  console.log(`voter-web/dist: index.html (${outputs.get("index.html").length} B), ${bundleName} (${bundle.contents.length} B), sw.js (${worker.length} B), `
    + `screen.html (${screenHtml.length} B), ${screenBundleName} (${screenBundle.contents.length} B), `
    + `enter.html (${enterHtml.length} B), ${enterBundleName} (${enterBundle.contents.length} B)`);
}
