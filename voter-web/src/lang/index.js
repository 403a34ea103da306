// The languages the phone app speaks: one file each (en.js, ja.js), listed here. English is the reference: every other
// language has exactly its keys (tests/node/voter-modules.test.mjs checks it), and a value is a string or a function of
// the same values.
//
// To add a language: copy en.js to {its primary language subtag}.js (de.js, fr.js, ko.js…), translate every value
// (languageName is the language's own name, as the switch shows it), and add one line below. The app picks the first
// of the browser's languages it has, the switch in the header offers every one listed here (docs/voter-web.md).

import en from "./en.js";
import ja from "./ja.js";

export const languages = { en, ja };

/** The language to show: `chosen` (the switch's choice kept on the phone) when the app has it, else the first of the
 * browser's preferred languages it has (by primary subtag: "ja-JP" → ja), else English. */
export function pickLanguage(chosen, preferred) {
  for (const tag of [chosen, ...(preferred || [])]) {
    const primary = String(tag || "").toLowerCase().split("-")[0];
    if (Object.prototype.hasOwnProperty.call(languages, primary)) return primary;
  }
  return "en";
}
