/* guidegen search: a header button opens a dialog with the Pagefind UI, loaded on first open.
 * Results come from the index of the page's <html lang> (originals only). A diacritic-free
 * variant page rewrites result links to its own version and shows results folded, like itself.
 * Words Pagefind does not fold (Polish ł) are matched through the index-only `folded` metadata;
 * such hits get an excerpt rebuilt from the page text with the original word highlighted. */
(() => {
  "use strict";

  const EXCERPT_WORDS = 30;
  const WORD = /[\p{L}\p{N}_]+/gu;

  /** Escape text for use inside HTML. */
  const escapeHtml = (text) =>
    text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  /** Replace letters with the fold table of the settings (guidegen.fold's tables). */
  const foldText = (text, table) => Array.from(text, (c) => table[c] ?? c).join("");

  /** Fold a word for matching: our table, then combining marks removed, lowercased. */
  const matchKey = (word, table) =>
    foldText(word, table).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  /** Tell whether a word matches one of the folded query terms (as a prefix, like Pagefind). */
  const matches = (word, terms, table) => {
    const key = matchKey(word, table);
    return terms.some((term) => key.startsWith(term));
  };

  /** Tell whether Pagefind's excerpt highlights a word the reader asked for. */
  const highlightsTerm = (excerpt, terms, table) =>
    Array.from(excerpt.matchAll(/<mark>(.*?)<\/mark>/g)).some((m) =>
      matches(m[1].replace(/<[^>]*>/g, ""), terms, table));

  /** Build an excerpt of the page text around the first word matching the query, or null. */
  const rebuildExcerpt = (content, terms, table) => {
    const words = Array.from(content.matchAll(WORD));
    const first = words.findIndex((m) => matches(m[0], terms, table));
    if (first < 0) return null;
    const start = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
    const shown = words.slice(start, start + EXCERPT_WORDS);
    const from = shown[0].index;
    const to = shown[shown.length - 1].index + shown[shown.length - 1][0].length;
    let html = "";
    let last = from;
    for (const m of shown) {
      html += escapeHtml(content.slice(last, m.index));
      const word = escapeHtml(m[0]);
      html += matches(m[0], terms, table) ? `<mark>${word}</mark>` : word;
      last = m.index + m[0].length;
    }
    return html + escapeHtml(content.slice(last, to));
  };

  /** Return the result's link in the reader's version of the site. */
  const versionUrl = (rawUrl, settings, root) => {
    const path = rawUrl.replace(/^\//, "");
    const local = path.startsWith(settings.indexPrefix)
      ? settings.prefix + path.slice(settings.indexPrefix.length)
      : path;
    return new URL(local, root).href;
  };

  /** Make the Pagefind result hook: links, hidden metadata, highlighted excerpt, folding. */
  const resultProcessor = (settings, root, state) => (result) => {
    const table = settings.fold;
    const terms = state.term.split(/\s+/).filter(Boolean).map((t) => matchKey(t, table));
    delete result.meta.folded;
    result.url = versionUrl(result.raw_url ?? result.url, settings, root);
    if (terms.length && !highlightsTerm(result.excerpt, terms, table)) {
      result.excerpt = rebuildExcerpt(result.content, terms, table) ?? result.excerpt;
    }
    result.sub_results = [];
    if (settings.foldResults) {
      result.meta.title = foldText(result.meta.title, table);
      result.excerpt = foldText(result.excerpt, table);
    }
    return result;
  };

  /** Load a script or stylesheet once; resolve when it has loaded. */
  const load = (tag, attrs) =>
    new Promise((resolve, reject) => {
      const element = Object.assign(document.createElement(tag), attrs);
      element.addEventListener("load", resolve, { once: true });
      element.addEventListener("error", () => reject(new Error(attrs.src || attrs.href)));
      document.head.append(element);
    });

  /** Pick the settings of the page's version: the longest site prefix its path starts with. */
  const versionSettings = (all, root) => {
    const path = decodeURI(location.pathname).slice(decodeURI(root.pathname).length);
    return all.versions.find((v) => path.startsWith(v.prefix));
  };

  /** Load the Pagefind UI and mount it in the dialog, with this version's settings. */
  const mount = async (dialog, root) => {
    const bundle = new URL("pagefind/", root);
    const [all] = await Promise.all([
      fetch(new URL("guidegen-ui.json", bundle)).then((r) => r.json()),
      load("link", { rel: "stylesheet", href: new URL("pagefind-ui.css", bundle).href }),
      load("script", { src: new URL("pagefind-ui.js", bundle).href }),
    ]);
    const settings = { ...versionSettings(all, root), fold: all.fold };
    const state = { term: "" };
    dialog.querySelector("[data-gg-search-close]").setAttribute("aria-label", settings.strings.close);
    new window.PagefindUI({
      element: dialog.querySelector("[data-gg-search-ui]"),
      bundlePath: bundle.pathname,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: true,
      translations: settings.strings,
      processTerm: (term) => {
        state.term = term;
        return term;
      },
      processResult: resultProcessor(settings, root, state),
    });
  };

  /** Set up the button, the keyboard shortcuts and the dialog of this page. */
  const setup = (root) => {
    const dialog = document.querySelector("[data-gg-search]");
    const button = document.querySelector("[data-gg-search-open]");
    if (!dialog || !button) return;
    let mounted = null;
    const open = () => {
      if (!dialog.open) dialog.showModal();
      mounted = mounted ?? mount(dialog, root);
      mounted.then(() => dialog.querySelector("input")?.focus());
    };
    button.addEventListener("click", open);
    dialog.querySelector("[data-gg-search-close]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
      const slash = event.key === "/" && !typing && !event.ctrlKey && !event.metaKey;
      const ctrlK = event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey);
      if (slash || ctrlK) {
        event.preventDefault();
        open();
      }
    });
  };

  /* This file is assets/search.js below the site root, on every page and version alike. */
  setup(new URL("../", document.currentScript.src));
})();
