// The phone voting app (docs/voter-web.md): join from the QR link, see what is on screen, rate it with one tap, pick a
// Best In Show, see the results. This file puts the page together from its sections (views/) and draws it from the
// state (state.js) whenever that changed; session.js talks to the server. All text comes from strings.js and goes into
// the page with textContent, through dom.js.

// session.js first: the bundle then holds the SignalR client (which live.js imports) before all of the app's own code,
// which compresses better together (about 250 B less gzip, 75 B less Brotli).
import { start } from "./session.js";
import { el, replace, sync } from "./dom.js";
import { T, lang } from "./lang.js";
import * as app from "./state.js";
import { liveRegion } from "./views/announce.js";
import { bisView } from "./views/bis.js";
import { connectionView } from "./views/connection.js";
import { earlierView } from "./views/earlier.js";
import { noticeView } from "./views/notice.js";
import { nowView } from "./views/now.js";
import { resultsView } from "./views/results.js";

document.documentElement.lang = lang;
document.title = `${T.appTitle} · ${T.appSubtitle}`;

const connection = connectionView();
const notices = noticeView();
const now = nowView();
const earlier = earlierView();
const bis = bisView();
const results = resultsView();
const main = el("main#main");

replace(
  document.getElementById("app"),
  el(
    "header.top",
    null,
    el("h1.brand", null, el("span.brand-name", null, T.appTitle), el("span.brand-sub", null, T.appSubtitle)),
    connection.banner,
  ),
  main,
);

function draw() {
  // For people who script the page (and the tests): what it is showing, and how many full refreshes it has done.
  const shows = document.body.dataset;
  shows.screen = app.screen;
  shows.conn = app.conn;
  if (app.synced > 0) shows.synced = String(app.synced);
  connection.draw();
  notices.draw();
  if (app.screen !== "ready") {
    sync(main, [connection.waiting, notices.notice, liveRegion]);
    return;
  }
  const ballot = app.ballot();
  const hasResults = app.hasResults();
  now.draw();
  earlier.draw();
  if (ballot) bis.draw(ballot === "open");
  if (hasResults) results.draw();
  // The order on the page: an open ballot and the results come first, a closed ballot last.
  sync(main, [
    connection.waiting,
    app.needsCard() && notices.cardNote,
    ballot === "open" && bis.section,
    hasResults && results.section,
    now.section,
    earlier.section.childElementCount > 0 && earlier.section,
    ballot === "closed" && bis.section,
    liveRegion,
  ]);
}

app.onChange(draw);
app.render();
start();

// The offline shell (sw.js): once the page has loaded, so that it never slows the first vote. Browsers offer service
// workers only on HTTPS and on localhost.
const keepOffline = () => navigator.serviceWorker.register("/v/sw.js").catch(() => {});
if ("serviceWorker" in navigator) {
  if (document.readyState === "complete") keepOffline();
  else window.addEventListener("load", keepOffline);
}
