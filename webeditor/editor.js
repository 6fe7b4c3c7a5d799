// The portal's parts of the web editor: its formats, its two validating widgets, the article preview
// in the portal's own look, and the checks' result after each save. The configuration comes from
// `./portal edit` (/admin/config.json, made from the site data by plugins/webeditor); Decap CMS itself
// from node_modules (window.CMS, with React's createElement as window.h and window.createClass).
(function () {
  "use strict";
  const { CMS, h, createClass } = window;

  function fold(text) {
    // vntext.fold for one document number: marks off, đ -> d (NFD does not decompose đ).
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  }

  function textInput(props) {
    return h("input", {
      type: "text",
      id: props.forID,
      className: props.classNameWrapper,
      value: props.value || "",
      onChange: (event) => props.onChange(event.target.value),
      onFocus: props.setActiveStyle,
      onBlur: props.setInactiveStyle,
    });
  }

  function currentEntry(props) {
    return typeof props.getEntry === "function" ? props.getEntry() : props.entry;
  }

  function registerWidgets(portal) {
    const text = portal.text;
    // ImageAlt is required when there is a picture: strict's check, said before the save.
    CMS.registerWidget(
      "portal-image-alt",
      createClass({
        isValid() {
          const entry = currentEntry(this.props);
          const image = entry && entry.getIn(["data", this.props.field.get("image_field") || "image"]);
          if (image && !String(this.props.value || "").trim()) return { error: { type: "CUSTOM", message: text.image_alt_missing } };
          return true;
        },
        render() {
          return textInput(this.props);
        },
      }),
    );
    // The number of a directive document: vntext's pattern, generated from the Python (never retyped).
    const numberRe = new RegExp("^(?:" + portal.document_number + ")$", "u");
    CMS.registerWidget(
      "portal-document-number",
      createClass({
        isValid() {
          const value = String(this.props.value || "").normalize("NFC").trim();
          if (!value) return true; // `required` says that one
          if (numberRe.test(value) || numberRe.test(fold(value).toUpperCase())) return true;
          return { error: { type: "CUSTOM", message: text.number_invalid } };
        },
        render() {
          return textInput(this.props);
        },
      }),
    );
  }

  // --- Preview: the structure of theme/templates/article.html, with the portal's CSS -------------
  function vnDateTime(value, weekdays) {
    const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(value || "");
    if (!match) return value || "";
    const [, y, m, d, hh, mm] = match;
    const day = new Date(Date.UTC(+y, +m - 1, +d)).getUTCDay(); // 0 = Sunday
    return `${weekdays[(day + 6) % 7]}, ${d}/${m}/${y} ${hh}:${mm}`;
  }

  function registerPreview(portal) {
    CMS.registerPreviewStyle("/theme/css/site.css");
    const ArticlePreview = createClass({
      render() {
        const entry = this.props.entry;
        const get = (name) => entry.getIn(["data", name]);
        const image = get("image");
        const asset = image ? this.props.getAsset(image) : null;
        const topics = (get("topics") && get("topics").toJS ? get("topics").toJS() : get("topics")) || [];
        const files = (get("attachments") && get("attachments").toJS ? get("attachments").toJS() : get("attachments")) || [];
        const section = portal.sections[get("category")];
        return h(
          "main",
          { className: "wrap main article-page" },
          h(
            "article",
            { className: "article" },
            h(
              "header",
              { className: "article-header" },
              section ? h("p", { className: "kicker" }, h("a", null, section)) : null,
              h("h1", { id: "tieu-de" }, get("title")),
              h("p", { className: "meta article-meta" }, h("span", { className: "date" }, h("time", { dateTime: get("date") }, vnDateTime(get("date"), portal.weekdays)))),
            ),
            get("summary") ? h("div", { className: "lead" }, h("p", null, get("summary"))) : null,
            image
              ? h(
                  "figure",
                  { className: "lead-figure" },
                  h("img", { src: asset ? asset.toString() : image, alt: get("imagealt") || "" }),
                  get("imagecaption") ? h("figcaption", null, get("imagecaption")) : null,
                )
              : null,
            h("div", { className: "body" }, this.props.widgetFor("body")),
            get("author") ? h("p", { className: "author" }, get("author")) : null,
            files.length
              ? h(
                  "section",
                  { className: "attachments" },
                  h("h2", null, portal.text.attachments),
                  h(
                    "ul",
                    null,
                    files.map((file) => {
                      const name = String(file).split("/").pop();
                      const kind = (name.split(".").pop() || "").toUpperCase();
                      return h("li", { key: file }, h("a", null, h("span", { className: "file-kind" }, kind), " ", name));
                    }),
                  ),
                )
              : null,
            topics.length
              ? h(
                  "dl",
                  { className: "taxonomy" },
                  h("dt", null, "Lĩnh vực:"),
                  h("dd", null, h("ul", null, topics.map((id) => h("li", { key: id }, portal.topics[id] || id)))),
                )
              : null,
          ),
        );
      },
    });
    CMS.registerPreviewTemplate("articles", ArticlePreview);
  }

  // --- After each save: what the checks say about that file, and the commit -------------------------
  function checksPanel() {
    let panel = document.getElementById("portal-checks");
    if (!panel) {
      panel = document.createElement("section");
      panel.id = "portal-checks";
      panel.setAttribute("role", "status");
      panel.setAttribute("aria-live", "polite");
      document.body.appendChild(panel);
    }
    return panel;
  }

  function showChecks(portal, result) {
    const panel = checksPanel();
    panel.replaceChildren();
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Đóng");
    close.addEventListener("click", () => panel.remove());
    const title = document.createElement("h2");
    title.textContent = portal.text.checks_title;
    const report = document.createElement("pre");
    report.textContent = typeof result === "string" ? result : [result.path, result.checks, result.commit].filter(Boolean).join("\n");
    panel.dataset.state = typeof result === "string" ? "waiting" : /LỖI|ERROR/.test(result.checks || "") ? "errors" : "clean";
    panel.append(close, title, report);
  }

  function registerChecks(portal) {
    CMS.registerEventListener({
      name: "postSave",
      handler: async ({ entry }) => {
        showChecks(portal, portal.text.checks_running);
        const path = entry && entry.get ? entry.get("path") || "" : "";
        try {
          const response = await fetch("/api/check?path=" + encodeURIComponent(path), { credentials: "same-origin" });
          showChecks(portal, await response.json());
        } catch (error) {
          showChecks(portal, portal.text.checks_failed);
        }
      },
    });
  }

  // The year folder of content/articles/<section>/<year>/ and content/documents/<year>/: the year
  // of Date (or Signed) as written, local time, as Pelican reads it. Decap's own {{year}} is UTC's,
  // and its path templates cannot read a field through a filter (plugins/webeditor says why).
  function registerYear() {
    CMS.registerEventListener({
      name: "preSave",
      handler: ({ entry }) => {
        const data = entry.get("data");
        const year = /^\d{4}/.exec(String(data.get("date") || data.get("signed") || ""));
        return year ? data.set("_year", year[0]) : data;
      },
    });
  }

  // Phrases Decap's Vietnamese locale lacks (it falls back to English "Add …").
  function completeLocale(portal) {
    const vi = typeof CMS.getLocale === "function" ? CMS.getLocale("vi") : null;
    if (!vi || !vi.editor) return;
    vi.editor.editorWidgets = vi.editor.editorWidgets || {};
    const list = vi.editor.editorWidgets.list || {};
    vi.editor.editorWidgets.list = Object.assign({ add: portal.text.list_add, addType: portal.text.list_add }, list);
    CMS.registerLocale("vi", vi);
  }

  fetch("/admin/config.json")
    .then((response) => response.json())
    .then((config) => {
      const portal = config.portal;
      delete config.portal; // ours: Decap's config schema does not know it
      const formats = window.PortalFormats;
      for (const [name, keys] of Object.entries(portal.keys)) {
        CMS.registerCustomFormat(name, "md", formats.frontMatter({ keys: keys, lists: portal.lists, booleans: portal.booleans }));
      }
      CMS.registerCustomFormat("portal-table-rows", "yaml", formats.tableRows());
      completeLocale(portal);
      registerWidgets(portal);
      registerPreview(portal);
      if (portal.checks) registerChecks(portal);
      registerYear();
      CMS.init({ config: config });
    });
})();
