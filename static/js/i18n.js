// The page's languages. English strings are the keys (as gettext does); each other language
// is one table in lang/<code>.js. Text in the template is marked with data-i18n (its text),
// data-i18n-label (aria-label) and data-i18n-title (title).

export const LANGUAGES = { en: "English", zh: "中文" };
let table = {};
let messages = {}; // the server's error codes -> English templates (from /api/options)
export let language = "en";

// Names from the URL and the page are looked up as own properties only: "toString" or
// "__proto__" in a table's prototype is not a language, a string or a value.
const has = (table, key) => typeof key === "string" && Object.hasOwn(table, key);

export async function setLanguage(code, serverMessages = {}) {
  messages = serverMessages;
  language = has(LANGUAGES, code) ? code : "en";
  table = language === "en" ? {} : (await import(`./lang/${language}.js`)).default;
  document.documentElement.lang = language === "zh" ? "zh-Hans" : "en";
}

// t("Layer {l}", {l: 2}) -> the string in the current language, with its values filled in.
export function t(text, values = {}) {
  const s = has(table, text) ? table[text] : text;
  return s.replace(/\{(\w+)\}/g, (_, k) => (has(values, k) ? String(values[k]) : `{${k}}`));
}

// A server error's text in the page's language. An error with a code (a divergence; a 422's
// errors, each naming its field) is its template translated and filled with its params; in
// English, or for a code this page does not know, the server's own detail.
export function serverText(body) {
  if (!body) return null;
  const words = (p = {}) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === "string" ? t(v) : v]));
  const say = (e) => (has(messages, e.code) ? t(messages[e.code], words(e.params)) : null);
  if (language === "en") return body.detail || null;
  if (body.code) return say(body) || body.detail;
  const errors = body.errors || [];
  if (!errors.length || !errors.every((e) => say(e))) return body.detail || null;
  return errors.map((e) => `${e.field}: ${say(e)}`).join("; ");
}

export function translatePage(root = document) {
  if (language === "en") return;
  for (const e of root.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n || e.textContent.trim());
  for (const e of root.querySelectorAll("[data-i18n-label]")) e.setAttribute("aria-label", t(e.getAttribute("aria-label")));
  for (const e of root.querySelectorAll("[data-i18n-title]")) e.setAttribute("title", t(e.getAttribute("title")));
}

// The language menu: every language, the current one chosen; onChange(code) when it changes.
export function languageMenu(select, onChange) {
  for (const [code, name] of Object.entries(LANGUAGES)) select.append(new Option(name, code));
  select.value = language;
  select.addEventListener("change", () => onChange(select.value));
}
