// The portal's file formats for Decap CMS (CMS.registerCustomFormat): Pelican's "Key: value" front
// matter, and the rows of a result table's YAML. A saved file is what an editor writes by hand: keys
// spelt and ordered as the project writes them, and every line the editor did not change kept byte
// for byte (its spacing, its key order, keys the form does not know such as Slug or Modified).
// Loaded as a classic script by /admin/ (window.PortalFormats) and by Node in tests/test_web_editor.py.
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.PortalFormats = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // sourcefiles._KEY_RE: the same reading of a "Key: value" line as the build's.
  const KEY_RE = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$/;
  const YES = { yes: true, true: true, "có": true, no: false, false: false, "không": false };

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // --- Front matter ---------------------------------------------------------------------------
  function frontMatter(options) {
    const keys = options.keys; // the project's order, spelt as editors write them
    const lists = new Set(options.lists || []);
    const booleans = new Set(options.booleans || []);
    const spelling = {};
    keys.forEach((key) => (spelling[key.toLowerCase()] = key));

    // Field names are lower case: Decap lower-cases the `path` template, {{fields.category}} included.
    function parse(key, value) {
      if (lists.has(key)) return value.split(",").map((v) => v.trim()).filter(Boolean);
      if (booleans.has(key)) {
        const known = YES[value.trim().toLowerCase()];
        return known === undefined ? value : known;
      }
      return value;
    }

    function render(key, value) {
      if (value === undefined || value === null) return "";
      if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean).join(", ");
      if (booleans.has(key) && typeof value === "boolean") return value ? "yes" : "";
      // One line: a line break inside a value would start a new key or end the front matter.
      return String(value).replace(/\s*\n\s*/g, " ").trim();
    }

    function fromFile(text) {
      const lines = text.split("\n");
      const found = []; // [{key, lines}]
      let index = 0;
      while (index < lines.length) {
        const line = lines[index];
        const match = KEY_RE.exec(line);
        if (match) {
          found.push({ key: match[1], lines: [line], value: match[2] });
        } else if (found.length && /^[ \t]+\S/.test(line)) {
          const last = found[found.length - 1]; // Pelican's continuation line
          last.lines.push(line);
          last.value += " " + line.trim();
        } else {
          break;
        }
        index += 1;
      }
      let separator = null;
      // A blank line ends the front matter; the empty string after a file's last newline does not.
      if (index < lines.length - 1 && lines[index].trim() === "") {
        separator = lines[index];
        index += 1;
      }
      const data = {};
      const raw = {};
      for (const item of found) {
        const name = item.key.toLowerCase();
        const canonical = spelling[name] || item.key;
        data[name] = parse(canonical, item.value.replace(/\s+$/, ""));
        raw[name] = { lines: item.lines, value: data[name] };
      }
      data.body = lines.slice(index).join("\n");
      // Ours, never written: how the file was, so that what did not change is written as it was.
      data._portal = { keys: found.map((item) => item.key), raw: raw, separator: separator, eol: text.endsWith("\n") };
      return data;
    }

    function order(present, old) {
      const result = old.slice();
      const rank = (key) => {
        const at = keys.indexOf(spelling[key.toLowerCase()] || key);
        return at < 0 ? keys.length : at;
      };
      for (const key of present) {
        if (result.some((k) => k.toLowerCase() === key.toLowerCase())) continue;
        const before = result.findIndex((k) => rank(k) > rank(key));
        if (before < 0) result.push(key);
        else result.splice(before, 0, key);
      }
      return result;
    }

    function toFile(data) {
      const meta = data._portal || { keys: [], raw: {}, separator: null, eol: true };
      const names = Object.keys(data).filter((name) => name !== "body" && !name.startsWith("_"));
      const present = names.filter((name) => render(spelling[name] || name, data[name]) !== "" || meta.raw[name]).map((name) => spelling[name] || name);
      const out = [];
      for (const key of order(present, meta.keys)) {
        const name = key.toLowerCase();
        const value = data[name];
        const before = meta.raw[name];
        if (before && same(before.value, typeof value === "string" ? value.replace(/\s+$/, "") : value)) {
          out.push(...before.lines);
          continue;
        }
        const text = render(key, value);
        if (text !== "") out.push(`${key}: ${text}`);
      }
      let body = data.body === undefined || data.body === null ? "" : String(data.body);
      if ((meta.eol || !meta.keys.length) && body !== "" && !body.endsWith("\n")) body += "\n";
      const separator = meta.separator === null ? "" : meta.separator;
      if (body === "" && meta.separator === null) return out.join("\n") + (meta.eol ? "\n" : "");
      return out.join("\n") + "\n" + separator + "\n" + body;
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  // --- Rows of a result table ---------------------------------------------------------------------
  // Only the rows: everything else in the file (title, columns, notes, comments) is kept as it is.
  const NEEDS_QUOTES = /^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|\s$|^$/;

  function scalar(text) {
    const value = text.trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1) return JSON.parse(value);
    if (value.startsWith("'") && value.endsWith("'") && value.length > 1) return value.slice(1, -1).replace(/''/g, "'");
    return value;
  }

  function quoted(value, flow) {
    const text = value === undefined || value === null ? "" : String(value);
    return NEEDS_QUOTES.test(text) || (flow && /[,{}[\]]/.test(text)) ? JSON.stringify(text) : text;
  }

  function splitFlow(inner) {
    const parts = [];
    let current = "";
    let quote = null;
    for (const char of inner) {
      if (quote) {
        current += char;
        if (char === quote) quote = null;
      } else if (char === '"' || char === "'") {
        quote = char;
        current += char;
      } else if (char === ",") {
        parts.push(current);
        current = "";
      } else {
        current += char;
      }
    }
    if (current.trim()) parts.push(current);
    return parts;
  }

  function pair(text) {
    const at = text.indexOf(":");
    return at < 0 ? null : [text.slice(0, at).trim(), scalar(text.slice(at + 1))];
  }

  function tableRows() {
    function fromFile(text) {
      const lines = text.split("\n");
      const start = lines.findIndex((line) => /^rows:\s*$/.test(line));
      if (start < 0) return { rows: [], _portal: { head: text, tail: "", rows: [], style: "flow" } };
      let end = start + 1;
      while (end < lines.length && (lines[end] === "" || /^\s/.test(lines[end]) || lines[end].startsWith("- "))) end += 1;
      while (end > start + 1 && lines[end - 1] === "") end -= 1; // blank lines belong to what follows
      const rows = [];
      let style = "flow";
      for (const line of lines.slice(start + 1, end)) {
        const item = /^(\s*)- (.*)$/.exec(line);
        if (item) {
          const rest = item[2].trim();
          if (rest.startsWith("{") && rest.endsWith("}")) {
            const row = {};
            splitFlow(rest.slice(1, -1)).map(pair).filter(Boolean).forEach(([k, v]) => (row[k] = v));
            rows.push({ lines: [line], value: row });
          } else {
            style = "block";
            const row = {};
            const first = pair(rest);
            if (first) row[first[0]] = first[1];
            rows.push({ lines: [line], value: row });
          }
        } else if (rows.length && line.trim() && !line.trim().startsWith("#")) {
          const last = rows[rows.length - 1];
          const found = pair(line);
          if (found) last.value[found[0]] = found[1];
          last.lines.push(line);
        } else if (rows.length) {
          rows[rows.length - 1].lines.push(line);
        }
      }
      return {
        rows: rows.map((row) => Object.assign({}, row.value)),
        _portal: { head: lines.slice(0, start + 1).join("\n"), tail: lines.slice(end).join("\n"), rows: rows, style: style },
      };
    }

    function renderRow(row, style) {
      const cells = Object.keys(row).filter((k) => !k.startsWith("_") && row[k] !== undefined && row[k] !== null && String(row[k]) !== "");
      if (style === "flow") return [`  - {${cells.map((k) => `${k}: ${quoted(row[k], true)}`).join(", ")}}`];
      return cells.map((k, i) => `${i ? "    " : "  - "}${k}: ${quoted(row[k], false)}`);
    }

    function toFile(data) {
      const meta = data._portal || { head: "rows:", tail: "", rows: [], style: "flow" };
      const out = [meta.head];
      (data.rows || []).forEach((row, index) => {
        const before = meta.rows[index];
        const clean = {};
        Object.keys(row).filter((k) => !k.startsWith("_")).forEach((k) => (clean[k] = row[k] === null || row[k] === undefined ? "" : String(row[k])));
        const was = before && Object.assign({}, before.value);
        if (was) Object.keys(was).forEach((k) => (was[k] = String(was[k])));
        if (before && same(Object.entries(clean).filter(([, v]) => v !== ""), Object.entries(was))) out.push(...before.lines);
        else out.push(...renderRow(clean, meta.style));
      });
      return out.join("\n") + "\n" + meta.tail;
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  return { frontMatter: frontMatter, tableRows: tableRows, KEY_RE: KEY_RE };
});
