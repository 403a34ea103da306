// The language switch in the header: one toggle button per language the app has (lang/index.js), each named in its own
// language (and marked so: `lang`), the one shown pressed. A tap shows the whole page in that language at once.

import { el } from "../dom.js";
import { T, lang } from "../lang.js";
import { languages } from "../lang/index.js";

/** `choose(code)` is called with the language tapped (not with the one shown). */
export function languageView(choose) {
  const buttons = Object.entries(languages).map(([code, texts]) =>
    el(
      "button.lang-choice",
      { type: "button", lang: code, "data-lang": code, "aria-pressed": String(code === lang), onclick: () => code !== lang && choose(code) },
      texts.languageName,
    ),
  );
  const root = el("div.lang-switch", { role: "group", "aria-label": T.languageSwitch }, buttons);
  /** Puts the focus back on the button of the language shown (after the page was built again in it). */
  const focus = () => buttons.find((b) => b.dataset.lang === lang)?.focus();
  return { root, focus };
}
