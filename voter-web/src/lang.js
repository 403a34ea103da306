// The page's language (the first of the browser's languages that strings.js has, else English) and its texts.

import { pickLanguage, strings } from "./strings.js";

export const lang = pickLanguage(navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
export const T = strings[lang];

/** Names as one phrase ("A & B"), leaving out empty ones. */
export const joinNames = (list) => (list || []).filter(Boolean).join(T.and);
