// The notice that stands for the page while it is not following the show (joining, no code, a refused code), the card
// note of a phone without a ballot card in a contest that votes with cards, and the code box both of them hold.

import { el, icon, iconText, replace, setAttrs, text } from "../dom.js";
import { T } from "../lang.js";
import { parseCode } from "../codes.js";
import * as app from "../state.js";
import { joinWith } from "../session.js";

export function noticeView() {
  const input = el("input#code.code-input", {
    type: "text",
    autocomplete: "off",
    autocapitalize: "characters",
    autocorrect: "off",
    spellcheck: "false",
    enterkeyhint: "go",
    maxlength: "40",
    "aria-describedby": "code-hint code-error",
  });
  const error = el("p#code-error.code-error", { role: "alert" });
  const form = el(
    "form.code-form",
    { novalidate: true, onsubmit: submit },
    el("label", { for: "code" }, T.codeLabel),
    el("p#code-hint.muted", null, T.codeHint),
    el("div.code-row", null, input, el("button.join", { type: "submit" }, T.codeJoin)),
    error,
  );
  const notice = el("section.card.notice", { "aria-labelledby": "notice-h", hidden: true });
  const cardNote = el("section.card.card-note", { "aria-labelledby": "card-note-h" });

  function submit(event) {
    event.preventDefault();
    const parsed = parseCode(input.value);
    const message =
      parsed.error === "empty"
        ? T.codeEmpty
        : parsed.error === "lookAlike"
          ? T.codeLookAlike(parsed.char, parsed.group)
          : parsed.error === "other"
            ? T.codeOther(parsed.char)
            : parsed.error === "length"
              ? T.codeLength(parsed.length)
              : app.screen === "ready" && parsed.roomCode
                ? T.codeNeedCard
                : "";
    app.setCodeError(message);
    if (message) input.focus();
    else joinWith(parsed);
  }

  function drawNotice() {
    const [title, body] =
      app.screen === "joining"
        ? [T.joining, app.busyUntil ? T.busyJoin(Math.max(1, Math.round((app.busyUntil - Date.now()) / 1000))) : app.trouble ? T.cannotReach : T.loading]
        : app.screen === "nocode"
          ? [app.contestName || T.appTitle, T.noCode]
          : app.problem;
    notice.hidden = false;
    const key = `${app.screen}|${title}|${body}`;
    if (notice.dataset.key === key) return;
    notice.dataset.key = key;
    const problem = app.screen !== "joining";
    notice.className = `card notice${problem ? " problem" : ""}`;
    replace(
      notice,
      problem ? icon("lock", "big") : icon("live", "big pulse"),
      el("h2#notice-h", null, title),
      el("p", null, body),
      problem ? form : null,
    );
  }

  function draw() {
    if (app.codeError !== null) {
      text(error, app.codeError);
      error.hidden = !app.codeError;
      setAttrs(input, { "aria-invalid": app.codeError ? "true" : false });
    }
    if (app.screen !== "ready") drawNotice();
    else if (app.needsCard() && !cardNote.contains(form)) {
      replace(cardNote, el("h2#card-note-h", null, iconText("lock", T.needCardTitle)), el("p", null, T.needCardBody), form);
    }
  }

  return { notice, cardNote, draw };
}
