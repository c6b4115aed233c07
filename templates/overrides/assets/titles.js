/**
 * Keep Material's overflow tooltips inert.
 *
 * When a navigation or header text is cut off (`.md-ellipsis`), Material copies the element's
 * visible text into its `title`, and its tooltip later writes that title with `innerHTML`: a
 * text that reads `<img onerror=…>` would become an element. Text a reader sees is already
 * decoded, so this guard writes such a title back HTML-escaped, as soon as Material set it and
 * before any hover can open the tooltip. Titles written by the pages themselves (glossary
 * terms, FAQ links) are escaped at build time and left alone.
 */
(() => {
  const escape = (text) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  /** Tell whether a title is the visible text of the element's cut-off label. */
  const copiedText = (element, title) => {
    const label = element.matches(".md-ellipsis") ? element : element.querySelector(".md-ellipsis");
    return label !== null && label.innerText === title;
  };

  // The cheap test first: copiedText reads innerText, which forces a layout.
  new MutationObserver((records) => {
    for (const { target } of records) {
      const title = target.getAttribute("title");
      if (title !== null && escape(title) !== title && copiedText(target, title)) {
        target.setAttribute("title", escape(title));
      }
    }
  }).observe(document.documentElement, {
    subtree: true,
    attributes: true,
    attributeFilter: ["title"],
  });
})();
