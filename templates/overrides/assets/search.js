/* guidegen search: a header button opens a dialog; its results come from Pagefind's JS API
 * (pagefind.js and the index of the page's <html lang>, originals only), loaded on first open.
 * No Pagefind UI: the dialog's markup is in partials/search-dialog.html, its texts in
 * pagefind/guidegen-ui.json. A diacritic-free variant page links results to its own version
 * and shows them folded, like itself. Words Pagefind does not fold (Polish ł) are matched
 * through the index-only `folded` metadata; such hits get an excerpt rebuilt from the page text
 * with the original word highlighted. */
(() => {
  "use strict";

  const EXCERPT_WORDS = 30;
  const PAGE_SIZE = 5;
  const WORD = /[\p{L}\p{N}_]+/gu;

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

  /** Split Pagefind's excerpt (text with <mark> around hits) into text segments, inertly. */
  const excerptSegments = (html) => {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    return Array.from(holder.content.childNodes, (node) => ({
      text: node.textContent,
      marked: node.nodeName === "MARK",
    }));
  };

  /** Build excerpt segments of the page text around the first word matching the query. */
  const rebuildSegments = (content, terms, table) => {
    const words = Array.from(content.matchAll(WORD));
    const first = words.findIndex((m) => matches(m[0], terms, table));
    if (first < 0) return null;
    const start = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
    const segments = [];
    let last = words[start].index;
    for (const m of words.slice(start, start + EXCERPT_WORDS)) {
      segments.push({ text: content.slice(last, m.index), marked: false });
      segments.push({ text: m[0], marked: matches(m[0], terms, table) });
      last = m.index + m[0].length;
    }
    return segments;
  };

  /** Return the result's link in the reader's version of the site. */
  const versionUrl = (rawUrl, settings, root) => {
    const path = rawUrl.replace(/^\//, "");
    const local = path.startsWith(settings.indexPrefix)
      ? settings.prefix + path.slice(settings.indexPrefix.length)
      : path;
    return new URL(local, root).href;
  };

  /** Turn a result's data into what the reader sees: link, title, highlighted excerpt. */
  const toHit = (data, terms, settings, root) => {
    const table = settings.fold;
    let segments = excerptSegments(data.excerpt);
    if (terms.length && !segments.some((s) => s.marked && matches(s.text, terms, table))) {
      segments = rebuildSegments(data.content, terms, table) ?? segments;
    }
    const show = settings.foldResults ? (text) => foldText(text, table) : (text) => text;
    return {
      url: versionUrl(data.raw_url ?? data.url, settings, root),
      title: show(data.meta.title ?? data.url),
      segments: segments.map((s) => ({ text: show(s.text), marked: s.marked })),
    };
  };

  /** Make a text node, or a <mark> for a highlighted segment. */
  const segmentNode = (segment) =>
    segment.marked
      ? Object.assign(document.createElement("mark"), { textContent: segment.text })
      : document.createTextNode(segment.text);

  /** Make a result's list item from the dialog's result template. */
  const renderHit = (template, hit) => {
    const item = template.content.firstElementChild.cloneNode(true);
    item.querySelector("a").href = hit.url;
    item.querySelector("[data-gg-search-title]").textContent = hit.title;
    item.querySelector("[data-gg-search-excerpt]").append(...hit.segments.map(segmentNode));
    return item;
  };

  /** Fill a text's [COUNT] and [SEARCH_TERM] placeholders. */
  const format = (text, count, term) =>
    text.replaceAll("[COUNT]", String(count)).replaceAll("[SEARCH_TERM]", term);

  /** Return the message announcing how many results a query found, in the page's plural. */
  const countMessage = (strings, count, term) => {
    const plural = new Intl.PluralRules(document.documentElement.lang).select(count);
    const text = strings[`results_${plural}`] ?? strings.results_other;
    return format(count ? text : strings.zero_results, count, term);
  };

  /** Pick the settings of the page's version: the longest site prefix its path starts with. */
  const versionSettings = (all, root) => {
    const path = decodeURI(location.pathname).slice(decodeURI(root.pathname).length);
    return { ...all.versions.find((v) => path.startsWith(v.prefix)), fold: all.fold };
  };

  /** Find the dialog's parts. */
  const parts = (dialog) => {
    const part = (name) => dialog.querySelector(`[data-gg-search-${name}]`);
    return {
      form: part("form"),
      input: part("input"),
      clear: part("clear"),
      close: part("close"),
      status: part("status"),
      list: part("results"),
      more: part("more"),
      template: part("result"),
    };
  };

  /** Put the version's texts on the dialog's controls. */
  const label = (ui, strings) => {
    ui.input.placeholder = strings.placeholder;
    ui.input.setAttribute("aria-label", strings.search_label);
    ui.clear.textContent = strings.clear_search;
    ui.close.setAttribute("aria-label", strings.close);
    ui.list.setAttribute("aria-label", strings.results_label);
    ui.more.textContent = strings.load_more;
  };

  /** Return the result links shown, in order. */
  const links = (ui) => Array.from(ui.list.querySelectorAll("a"));

  /** Move focus with the arrow keys: from the search box into the results and back. */
  const navigate = (ui, event) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    const all = [ui.input, ...links(ui)];
    const at = all.indexOf(document.activeElement);
    if (!step || at < 0 || all.length < 2) return;
    event.preventDefault();
    all[Math.min(Math.max(at + step, 0), all.length - 1)].focus();
  };

  /** Wire the dialog's controls to Pagefind: search as the reader types, show pages of hits. */
  const connect = (ui, pagefind, settings, root) => {
    const strings = settings.strings;
    let current = { results: [], shown: 0, terms: [] };
    let generation = 0;

    const nextItems = async (state) => {
      const batch = state.results.slice(state.shown, state.shown + PAGE_SIZE);
      state.shown += batch.length;
      const data = await Promise.all(batch.map((result) => result.data()));
      return data.map((d) => renderHit(ui.template, toHit(d, state.terms, settings, root)));
    };

    const run = async () => {
      const term = ui.input.value.trim();
      const mine = ++generation;
      ui.clear.hidden = !ui.input.value;
      if (!term) {
        current = { results: [], shown: 0, terms: [] };
        ui.list.replaceChildren();
        ui.status.textContent = "";
        ui.more.hidden = true;
        return;
      }
      ui.status.setAttribute("aria-busy", "true");
      ui.status.textContent = format(strings.searching, 0, term);
      const found = await pagefind.debouncedSearch(term);
      if (found === null || mine !== generation) return;
      const terms = term.split(/\s+/).map((t) => matchKey(t, settings.fold));
      const state = { results: found.results, shown: 0, terms };
      const items = await nextItems(state);
      if (mine !== generation) return;
      current = state;
      ui.list.replaceChildren(...items);
      ui.more.hidden = state.shown >= state.results.length;
      ui.status.textContent = countMessage(strings, found.results.length, term);
      ui.status.removeAttribute("aria-busy");
    };

    const more = async () => {
      const state = current;
      const items = await nextItems(state);
      if (state !== current) return;
      ui.list.append(...items);
      ui.more.hidden = state.shown >= state.results.length;
      items[0]?.querySelector("a").focus();
    };

    const fail = (error) => {
      ui.status.textContent = strings.error_search;
      ui.status.removeAttribute("aria-busy");
      console.error(error);
    };

    label(ui, strings);
    ui.more.addEventListener("click", () => more().catch(fail));
    ui.input.addEventListener("input", () => run().catch(fail));
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      links(ui)[0]?.focus();
    });
    ui.clear.addEventListener("click", () => {
      ui.input.value = "";
      ui.input.focus();
      run().catch(fail);
    });
    return run().catch(fail);
  };

  /** Load Pagefind's engine and this version's texts, then make the dialog search. */
  const mount = async (ui, root) => {
    const bundle = new URL("pagefind/", root);
    const [all, pagefind] = await Promise.all([
      fetch(new URL("guidegen-ui.json", bundle)).then((r) => r.json()),
      import(new URL("pagefind.js", bundle).href),
    ]);
    await pagefind.options({ noWorker: true, excerptLength: EXCERPT_WORDS });
    await connect(ui, pagefind, versionSettings(all, root), root);
  };

  /** Set up the button, the keyboard shortcuts and the dialog of this page. */
  const setup = (root) => {
    const dialog = document.querySelector("[data-gg-search]");
    const button = document.querySelector("[data-gg-search-open]");
    if (!dialog || !button) return;
    const ui = parts(dialog);
    let mounted = null;
    const open = () => {
      if (!dialog.open) dialog.showModal();
      ui.input.focus();
      mounted = mounted ?? mount(ui, root).catch((error) => console.error(error));
    };
    button.addEventListener("click", open);
    ui.close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return navigate(ui, event);
      event.preventDefault(); /* a search box would clear itself first; Esc always closes */
      dialog.close();
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
