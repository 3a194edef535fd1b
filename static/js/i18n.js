// The page's languages. English strings are the keys (as gettext does); each other language
// is one table in lang/<code>.js. Text in the template is marked with data-i18n (its text),
// data-i18n-label (aria-label) and data-i18n-title (title).

export const LANGUAGES = { en: "English", zh: "中文" };
let table = {};
export let language = "en";

// Names from the URL and the page are looked up as own properties only: "toString" or
// "__proto__" in a table's prototype is not a language, a string or a value.
const has = (table, key) => typeof key === "string" && Object.hasOwn(table, key);

export async function setLanguage(code) {
  language = has(LANGUAGES, code) ? code : "en";
  table = language === "en" ? {} : (await import(`./lang/${language}.js`)).default;
  document.documentElement.lang = language === "zh" ? "zh-Hans" : "en";
}

// t("Layer {l}", {l: 2}) -> the string in the current language, with its values filled in.
export function t(text, values = {}) {
  const s = has(table, text) ? table[text] : text;
  return s.replace(/\{(\w+)\}/g, (_, k) => (has(values, k) ? String(values[k]) : `{${k}}`));
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
