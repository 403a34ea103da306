// The entry portal (docs/entries.md, "Entry portal"): /enter shows the contest's rules, generated from its settings
// (GET /api/enter/rules), and the submission form (POST /api/enter/submissions); /enter/e/{secret} is an entrant's
// private entry page (GET /api/enter/entries/{secret}): its status, the file's check as the server's queue writes it,
// replacing the file until the deadline (startUpload, ./upload.js) and withdrawing. Text goes in with textContent only.

import { append, el, text } from "../dom.js";
import { texts, pickLanguage } from "./texts.js";
import { startUpload } from "./upload.js";

const LANG_KEY = "amv-enter-lang";
const POLL_MS = 3000;

const main = document.getElementById("main");
const stored = (() => {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
})();
let lang = pickLanguage(stored, navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
let T = texts[lang];
let render = () => {};
let pollTimer = 0;

const visitorZone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
})();

/** An instant in a time zone, in the page's language: "Saturday 15 August 2026 at 23:59". */
function when(iso, zone) {
  return new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "short", timeZone: zone }).format(new Date(iso));
}

/** A yyyy-MM-dd day in the page's language, without any time zone shift. */
function day(ymd) {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

const minutes = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

/** One API call: { status, body, retryAfter }; status 0 when the server could not be reached. */
async function call(method, path, body) {
  try {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
    const type = response.headers.get("Content-Type") || "";
    const json = type.includes("json") ? await response.json().catch(() => null) : null;
    return { status: response.status, body: json, retryAfter: Number(response.headers.get("Retry-After")) || 0 };
  } catch {
    return { status: 0, body: null, retryAfter: 0 };
  }
}

/** What a failed call means to the visitor. */
function failure(answer) {
  if (answer.status === 0) return T.cannotReach;
  if (answer.status === 429) return T.tooMany(answer.retryAfter || 60);
  return (answer.body && (answer.body.detail || answer.body.title)) || `HTTP ${answer.status}`;
}

/** Makes a node's children exactly these (nulls and nested lists as el() takes them). */
function show(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

function status(kind, message, attrs) {
  return el(`p.status.${kind}`, attrs, message);
}

function setLanguage(next) {
  lang = next;
  T = texts[lang];
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    /* private mode: the choice lasts this page only */
  }
  document.documentElement.lang = lang;
  text(document.getElementById("brand-sub"), T.brandSub);
  const nav = document.getElementById("langs");
  nav.setAttribute("aria-label", T.languages);
  nav.replaceChildren(
    ...Object.keys(texts).map((code) =>
      el("button", { type: "button", lang: code, "aria-pressed": String(code === lang), onclick: () => code !== lang && (setLanguage(code), render()) }, texts[code].langName),
    ),
  );
}

// --- The rules page and the form -------------------------------------------------------------------------------------

async function showRules() {
  clearTimeout(pollTimer);
  show(main, el("p.loading", { role: "status" }, T.loading));
  const answer = await call("GET", "/api/enter/rules");
  if (answer.status !== 200) {
    show(main, status("bad", failure(answer), { role: "alert" }));
    return;
  }

  const r = answer.body;
  document.title = `${r.contest} · ${T.brandSub}`;
  const stateLine =
    r.state === "open" ? status("ok", T.stateOpen) : r.state === "not-open" ? status("wait", T.stateNotOpen(when(r.opensAt, r.timeZone))) : status("bad", T.stateClosed);
  stateLine.id = "state";
  stateLine.dataset.state = r.state;

  const rules = [
    T.rulePerPerson(r.maxPerPerson),
    T.rulePerCategory(r.maxPerPersonPerCategory),
    T.ruleFile(r.maxFileMegabytes, minutes(r.maxDurationSeconds)),
    r.premieredAfter ? T.rulePremiere(day(r.premieredAfter)) : null,
    T.rulePermission,
    T.ruleChecked,
    T.ruleReplace,
  ].filter(Boolean);

  show(main, 
    el("section.card", { "aria-labelledby": "rules-h" },
      el("h1#rules-h", {}, T.rulesTitle(r.contest, r.year)),
      stateLine,
      times(r),
      el("h2", {}, T.rulesHeading),
      el("ul#rules-list.rules", {}, rules.map((rule) => el("li", {}, rule)))),
    el("section.card", { "aria-labelledby": "categories-h" },
      el("h2#categories-h", {}, T.categoriesHeading),
      r.categories.length
        ? el("ul#categories.categories", {}, r.categories.map((c) =>
            el("li", {}, el("h3", {}, c.name), c.description ? el("p", {}, c.description) : null, el("p.hint", {}, T.finalists(c.finalistLimit)))))
        : el("p.muted", {}, T.noCategories)),
    r.state === "open" && r.categories.length ? form(r) : null,
  );
}

/** The deadline (and the opening, while ahead) in the contest's time zone and, when it differs, the visitor's. */
function times(r) {
  const rows = [];
  const add = (label, iso, id) => {
    if (!iso) return;
    rows.push(el("dt", {}, label), el(`dd#${id}-contest`, {}, `${when(iso, r.timeZone)} — ${T.contestTime(r.timeZone)}`));
    if (visitorZone !== r.timeZone) rows.push(el("dt", {}, el("span.sr-only", {}, label)), el(`dd#${id}-local`, {}, `${when(iso, visitorZone)} — ${T.yourTime(visitorZone)}`));
  };
  if (r.state === "not-open") add(T.opens, r.opensAt, "opens");
  add(T.deadline, r.deadline, "deadline");
  return rows.length ? el("dl.times", {}, rows) : el("p.muted", {}, T.noDeadline);
}

/** The fields: [id, the body's field, label, kind, hint]. */
function fields(r) {
  const after = r.premieredAfter ? day(r.premieredAfter) : null;
  return [
    ["f-title", "title", T.title, "text"],
    ["f-editors", "editors", T.editors, "lines", T.editorsHint],
    ["f-email", "contactEmail", T.contactEmail, "email", T.contactEmailHint],
    ["f-category", "categoryId", T.category, "category"],
    ["f-artist", "musicArtist", T.musicArtist, "text"],
    ["f-music", "musicTitle", T.musicTitle, "text"],
    ["f-sources", "sources", T.sources, "lines", T.sourcesHint],
    ["f-premiered", "premieredOn", T.premieredOn, "date", T.premieredOnHint(after)],
    ["f-note", "contentNote", T.contentNote, "note", T.contentNoteHint],
  ];
}

function nextDay(ymd) {
  const date = new Date(`${ymd}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function form(r) {
  const described = (id, hint) => [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  const control = ([id, , , kind, hint]) => {
    const common = { id, name: id, "aria-describedby": described(id, hint) };
    switch (kind) {
      case "lines":
      case "note":
        return el("textarea", { ...common, rows: kind === "note" ? 3 : 2, maxlength: kind === "note" ? 300 : null, required: id === "f-editors" });
      case "category":
        return el("select", { ...common, required: true },
          el("option", { value: "" }, T.chooseCategory), r.categories.map((c) => el("option", { value: c.id }, c.name)));
      case "date":
        return el("input", { ...common, type: "date", required: true, min: r.premieredAfter ? nextDay(r.premieredAfter) : null });
      case "email":
        return el("input", { ...common, type: "email", required: true, autocomplete: "email", maxlength: 254 });
      default:
        return el("input", { ...common, type: "text", required: true, maxlength: 300 });
    }
  };
  const formStatus = el("div#form-status", { role: "alert" });
  const submit = el("button.primary", { type: "submit" }, T.submit);
  const node = el("form#entry-form", { novalidate: true },
    el("p.hint", {}, T.formIntro),
    fields(r).map((f) => el("div.field", {},
      el("label", { for: f[0] }, f[2]),
      f[4] ? el(`p#${f[0]}-hint.hint`, {}, f[4]) : null,
      control(f),
      el(`p#${f[0]}-error.error`, { hidden: true }))),
    el("div.check", {},
      el("input#f-permission", { type: "checkbox", name: "f-permission", required: true, "aria-describedby": "f-permission-error" }),
      el("div", {}, el("label", { for: "f-permission" }, T.permission), el("p#f-permission-error.error", { hidden: true }))),
    formStatus,
    el("div.row", {}, submit));

  const byField = Object.fromEntries([...fields(r).map((f) => [f[1], f[0]]), ["permission", "f-permission"]]);
  const value = (id) => node.querySelector(`#${id}`).value;
  const lines = (id) => value(id).split("\n").map((s) => s.trim()).filter(Boolean);

  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const id of Object.values(byField)) markField(id, null);
    formStatus.replaceChildren();
    submit.disabled = true;
    text(submit, T.submitting);
    const answer = await call("POST", "/api/enter/submissions", {
      categoryId: Number(value("f-category")) || 0,
      title: value("f-title"),
      editors: lines("f-editors"),
      contactEmail: value("f-email"),
      musicArtist: value("f-artist"),
      musicTitle: value("f-music"),
      sources: lines("f-sources"),
      premieredOn: value("f-premiered"),
      contentNote: value("f-note").trim() || null,
      permission: node.querySelector("#f-permission").checked,
    });
    submit.disabled = false;
    text(submit, T.submit);
    if (answer.status === 201) {
      node.closest("section").replaceWith(submitted(answer.body));
      document.getElementById("submitted-h").focus();
      return;
    }

    const problem = answer.body || {};
    const refusal = problem.reason && T.refusals[problem.reason] ? T.refusals[problem.reason](r) : null;
    const errors = problem.errors || {};
    let first = null;
    for (const [field, messages] of Object.entries(errors)) {
      const id = byField[field];
      if (!id) continue;
      markField(id, refusal || T.fieldProblem(messages[0]));
      first = first || id;
    }
    formStatus.replaceChildren(status("bad", refusal || (first ? T.fixFields : failure(answer)), { "data-reason": problem.reason || null }));
    if (first) node.querySelector(`#${first}`).focus();
  });

  return el("section.card", { "aria-labelledby": "form-h" }, el("h2#form-h", {}, T.formHeading), node);
}

/** A field's error under it (null clears it). */
function markField(id, message) {
  const input = document.getElementById(id);
  const error = document.getElementById(`${id}-error`);
  if (!input || !error) return;
  input.setAttribute("aria-invalid", String(Boolean(message)));
  error.hidden = !message;
  text(error, message || "");
}

function submitted(answer) {
  const url = new URL(answer.entryUrl, location.href).href;
  const copyStatus = el("span.muted", { role: "status" });
  return el("section#submitted.card", { "aria-labelledby": "submitted-h" },
    el("h2#submitted-h", { tabindex: "-1" }, T.submittedHeading),
    el("p", {}, T.submittedBody),
    el("p#entry-link.link-box", {}, url),
    el("div.row", {},
      el("button", { type: "button", onclick: () => copy(url, copyStatus) }, T.copy),
      el("a#go-upload.button.primary", { href: answer.entryUrl }, T.goUpload),
      copyStatus));
}

async function copy(url, statusNode) {
  try {
    await navigator.clipboard.writeText(url);
    text(statusNode, T.copied);
  } catch {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById("entry-link"));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }
}

// --- The private entry page ------------------------------------------------------------------------------------------

async function showEntry(secret) {
  clearTimeout(pollTimer);
  show(main, el("p.loading", { role: "status" }, T.loading));
  const [answer, rulesAnswer] = await Promise.all([call("GET", `/api/enter/entries/${encodeURIComponent(secret)}`), call("GET", "/api/enter/rules")]);
  if (answer.status === 404) {
    show(main, el("section.card", { "aria-labelledby": "unknown-h" },
      el("h1#unknown-h", {}, T.entryUnknownTitle), el("p", {}, T.entryUnknownBody)));
    return;
  }
  if (answer.status !== 200 || rulesAnswer.status !== 200) {
    show(main, status("bad", failure(answer.status !== 200 ? answer : rulesAnswer), { role: "alert" }));
    return;
  }

  const rules = rulesAnswer.body;
  const entry = answer.body;
  document.title = `${entry.title} · ${T.brandSub}`;
  const fileCard = el("section#file.card", { "aria-labelledby": "file-h" });
  show(main, 
    el("section.card", { "aria-labelledby": "entry-title" },
      el("p.eyebrow", {}, T.entryHeading),
      el("h1#entry-title", {}, entry.title),
      el("p.hint", {}, T.keepPrivate),
      entry.withdrawnAt ? status("bad", T.withdrawnOn(when(entry.withdrawnAt, visitorZone)), { id: "withdrawn" }) : el("p.muted", {}, T.submittedOn(when(entry.submittedAt, visitorZone))),
      details(entry)),
    fileCard,
    entry.atDeadline ? el("section#at-deadline.card", { "aria-labelledby": "deadline-h", "data-rule": entry.atDeadline.rule },
      el("h2#deadline-h", {}, T.atDeadline),
      status("bad", T.deadlineRules[entry.atDeadline.rule] || entry.atDeadline.message),
      entry.atDeadline.rule === "file-failed" && entry.check.message ? el("p", {}, entry.check.message) : null) : null,
    entry.outcome ? el("section#outcome.card", { "aria-labelledby": "outcome-h", "data-outcome": entry.outcome.outcome },
      el("h2#outcome-h", {}, T.outcomeHeading),
      el("p", {}, T.outcomes[entry.outcome.outcome] || entry.outcome.outcome),
      entry.outcome.reason ? el("p.muted", {}, entry.outcome.reason) : null) : null,
    entry.canWithdraw ? withdrawCard(secret) : null,
  );
  fillFile(fileCard, entry, rules, secret);
}

function details(entry) {
  const rows = [
    [T.detailsCategory, entry.category.name],
    [T.detailsEditors, entry.editors.join(", ")],
    [T.detailsMusic, `${entry.musicArtist} — ${entry.musicTitle}`],
    [T.detailsSources, entry.sources.join(", ")],
    [T.detailsPremiered, day(entry.premieredOn)],
    [T.detailsNote, entry.contentNote],
  ].filter(([, value]) => value);
  return el("dl.facts", {}, rows.map(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]));
}

/** m:ss, as the check's messages write a duration ("5:42"). */
const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

/** The file card: the file, its check (polled while it waits or runs), the measured length and loudness of a file
 * that passed, and the upload control until the deadline. */
function fillFile(card, entry, rules, secret) {
  const check = entry.check;
  const checkLine = status(check.state === "passed" ? "ok" : check.state === "failed" ? "bad" : check.state === "none" ? "info" : "wait",
    T.check[check.state] || check.state, { id: "check-state", "data-state": check.state });
  const progress = check.state === "running" && check.progress != null
    ? el("progress#check-progress", { max: "1", value: String(check.progress), "aria-label": T.checkProgress }, `${Math.round(check.progress * 100)}%`)
    : null;
  show(card, 
    el("h2#file-h", {}, T.fileHeading),
    el("p#file-name", {}, entry.file ? T.fileIs(entry.file.name || "", T.size(entry.file.bytes || 0)) : T.noFile),
    el("div#check", { "aria-live": "polite" }, checkLine, progress, check.message ? el("p#check-message", {}, check.message) : null,
      check.state === "passed" && typeof check.seconds === "number" ? el("p#check-measured.muted", {}, T.measured(clock(check.seconds), typeof check.loudnessLufs === "number" ? check.loudnessLufs.toFixed(1) : null)) : null),
    entry.canReplaceFile ? uploader(entry, rules, secret) : entry.withdrawnAt ? null : el("p.muted", {}, T.replaceClosed),
  );
  if (check.state === "queued" || check.state === "running") {
    pollTimer = setTimeout(() => refreshFile(card, rules, secret), POLL_MS);
  }
}

async function refreshFile(card, rules, secret) {
  const answer = await call("GET", `/api/enter/entries/${encodeURIComponent(secret)}`);
  if (answer.status !== 200) {
    pollTimer = setTimeout(() => refreshFile(card, rules, secret), POLL_MS * 2);
    return;
  }
  // Only the check's part changes while the entrant may be choosing a file.
  const fresh = el("section#file.card", { "aria-labelledby": "file-h" });
  const picker = card.querySelector("#upload-file");
  if (picker && picker.files && picker.files.length) {
    pollTimer = setTimeout(() => refreshFile(card, rules, secret), POLL_MS);
    return;
  }
  fillFile(fresh, answer.body, rules, secret);
  card.replaceWith(fresh);
}

function uploader(entry, rules, secret) {
  const input = el("input#upload-file", { type: "file", accept: "video/*,.mkv,.avi,.mov,.mp4,.webm,.ts", "aria-describedby": "upload-hint" });
  const button = el("button#upload-button.primary", { type: "button" }, entry.file ? T.replace : T.upload);
  const bar = el("progress#upload-progress", { max: "1", value: "0", hidden: true, "aria-label": T.uploadProgress });
  const line = el("p#upload-status", { role: "status" });
  let upload = null;
  button.addEventListener("click", () => {
    const file = input.files && input.files[0];
    if (!file) {
      text(line, T.noFileChosen);
      line.className = "status bad";
      input.focus();
      return;
    }
    if (file.size > rules.maxFileMegabytes * 1024 * 1024) {
      text(line, T.tooBig(rules.maxFileMegabytes));
      line.className = "status bad";
      return;
    }
    if (upload) upload.abort();
    button.disabled = true;
    bar.hidden = false;
    line.className = "status wait";
    text(line, T.uploading(T.size(0), T.size(file.size)));
    upload = startUpload(file, {
      entrySecret: secret,
      onProgress: (sent, total) => {
        bar.value = total ? sent / total : 0;
        line.className = "status wait";
        text(line, T.uploading(T.size(sent), T.size(total)));
      },
      onRetry: () => {
        line.className = "status wait";
        text(line, T.uploadRetrying);
      },
      onError: (message) => {
        button.disabled = false;
        line.className = "status bad";
        text(line, T.uploadFailed(message));
      },
      onSuccess: () => {
        line.className = "status ok";
        text(line, T.uploaded);
        // The file is sent: the picker is emptied, so that the card's refresh (which waits while a file is chosen and not
        // yet sent) shows the check as it goes.
        input.value = "";
        const card = document.getElementById("file");
        clearTimeout(pollTimer);
        pollTimer = setTimeout(() => refreshFile(card, rules, secret), 500);
      },
    });
  });
  return el("div", {},
    el("div.field", {}, el("label", { for: "upload-file" }, T.chooseFile), input),
    el("p#upload-hint.hint", {}, rules.deadline ? T.replaceUntil(when(rules.deadline, rules.timeZone)) : T.ruleFile(rules.maxFileMegabytes, minutes(rules.maxDurationSeconds))),
    el("div.row", {}, button),
    bar,
    line);
}

function withdrawCard(secret) {
  const area = el("div.row");
  const start = el("button#withdraw.danger", { type: "button" }, T.withdraw);
  const ask = () => {
    const yes = el("button#withdraw-yes.danger", { type: "button" }, T.withdrawYes);
    const no = el("button#withdraw-no", { type: "button" }, T.withdrawNo);
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      const answer = await call("POST", `/api/enter/entries/${encodeURIComponent(secret)}/withdraw`);
      if (answer.status === 200) {
        await showEntry(secret);
        const done = document.getElementById("withdrawn");
        if (done) {
          done.setAttribute("tabindex", "-1");
          done.focus();
        }
      } else {
        show(area, status("bad", failure(answer), { role: "alert" }));
      }
    });
    no.addEventListener("click", () => {
      show(area, start);
      start.focus();
    });
    show(area, el("p#withdraw-question", { role: "alert" }, T.withdrawConfirm), yes, no);
    no.focus();
  };
  start.addEventListener("click", ask);
  area.append(start);
  return el("section#withdraw-card.card", { "aria-label": T.withdraw }, area);
}

// --- Routing ---------------------------------------------------------------------------------------------------------

function route() {
  const match = location.pathname.match(/^\/enter\/e\/([^/]+)\/?$/);
  render = match ? () => showEntry(decodeURIComponent(match[1])) : () => showRules();
  render();
}

setLanguage(lang);
route();
