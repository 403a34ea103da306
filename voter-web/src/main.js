// The phone voting app (docs/voter-web.md): join from the QR link, see what is on screen, rate it with one tap, pick a
// Best In Show, see the results. This file puts the page together from its sections (views/) and draws it from the
// state (state.js) whenever that changed; session.js talks to the server. All text comes from lang/ (one file per
// language) and goes into the page with textContent, through dom.js.

// session.js first: the bundle then holds the SignalR client (which live.js imports) before all of the app's own code,
// which compresses better together (about 250 B less gzip, 75 B less Brotli).
import { start } from "./session.js";
import { el, replace, sync, text } from "./dom.js";
import { T, lang, setLanguage } from "./lang.js";
import * as app from "./state.js";
import { liveRegion } from "./views/announce.js";
import { bisView } from "./views/bis.js";
import { connectionView } from "./views/connection.js";
import { earlierView } from "./views/earlier.js";
import { languageView } from "./views/language.js";
import { noticeView } from "./views/notice.js";
import { nowView } from "./views/now.js";
import { resultsView } from "./views/results.js";

let page; // the views of the page as built in the language shown (mount)
const main = el("main#main");

/** Builds the page in the language shown: its header and every view. Built again when the language changes (the views
 * hold their text), keeping the state, the session and the live region. */
function mount() {
  document.documentElement.lang = lang;
  page = {
    name: el("span.brand-name"),
    language: languageView(switchLanguage),
    connection: connectionView(),
    notices: noticeView(),
    now: nowView(),
    earlier: earlierView(),
    bis: bisView(),
    results: resultsView(),
  };
  replace(
    document.getElementById("app"),
    el(
      "header.top",
      null,
      el("h1.brand", null, page.name, el("span.brand-sub", null, T.appSubtitle)),
      el("div.top-side", null, page.language.root, page.connection.banner),
    ),
    main,
  );
  main.replaceChildren();
}

function switchLanguage(code) {
  setLanguage(code);
  mount();
  draw();
  page.language.focus();
}

function draw() {
  // The contest's own name once the server has given it (kept on the phone), else the app's.
  const name = app.contestName || T.appTitle;
  text(page.name, name);
  const title = `${name} · ${T.appSubtitle}`;
  if (document.title !== title) document.title = title;
  // For people who script the page (and the tests): what it is showing, and how many full refreshes it has done.
  const shows = document.body.dataset;
  shows.screen = app.screen;
  shows.conn = app.conn;
  if (app.synced > 0) shows.synced = String(app.synced);
  const { connection, notices, now, earlier, bis, results } = page;
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

mount();
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
