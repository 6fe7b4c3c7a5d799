// The site search under Node, for editors (`invoke search`), the tests and the benchmark. It runs the
// very files a browser gets from the built site: OUTPUT/theme/js/search.js and lunr.min.js.
//
//   node plugins/search/cli.mjs search OUTPUT "câu hỏi" [--limit 10] [--section ID] [--year YYYY]
//       prints the ranked results as a JSON list of {url, title, date, section, score, excerpt}
//   node plugins/search/cli.mjs batch OUTPUT < {"queries": [...], "limit": 10}
//       one fresh session a query (nothing cached): results, bytes fetched (gzip, as the publish step
//       serves them), files, and milliseconds; for tests and `invoke bench`
//   node plugins/search/cli.mjs analyze OUTPUT|- < {"texts": [...], "abbreviations": {...}}
//       per text: the terms the lunr.js pipeline makes, the tokens, normalize and fold (vntext.js);
//       with "dates": [ISO dates], a last answer {dates: [...]} as search results show them (formatDate);
//       with "words": [...], a last answer {readings: [...]}: each word's Telex/VNI readings (keyboardReadings);
//       tests/test_search_pipeline.py compares them with Python's

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

// theme/js has no package.json saying its .js files are ES modules (they are served, not installed),
// so Node would warn on every run; the warning is noise here.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const code = typeof rest[0] === "object" ? rest[0]?.code : rest[1];
  if (code === "MODULE_TYPELESS_PACKAGE_JSON") return;
  emitWarning.call(process, warning, ...rest);
};

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MIN_COMPRESS = 256; // as plugins/publishing: smaller files are served as they are
const require = createRequire(import.meta.url);

function modules(output) {
  // The built site's copies when there is one, else the sources (the pipeline test needs no build).
  const built = output && output !== "-" && existsSync(path.join(output, "theme", "js", "search.js"));
  const js = built ? path.join(output, "theme", "js") : path.join(PROJECT, "theme", "static", "js");
  const lunrPath = built ? path.join(js, "lunr.min.js") : path.join(PROJECT, "node_modules", "lunr", "lunr.min.js");
  return { searchModule: pathToFileURL(path.join(js, "search.js")).href, lunr: require(lunrPath) };
}

function transferSize(file) {
  if (existsSync(`${file}.gz`)) return readFileSync(`${file}.gz`).length;
  const data = readFileSync(file);
  return data.length < MIN_COMPRESS ? data.length : gzipSync(data, { level: 9 }).length;
}

function session(output) {
  const fetched = [];
  const fetchJSON = async (url) => {
    const file = path.join(output, url);
    const text = readFileSync(file, "utf8");
    fetched.push({ url, bytes: transferSize(file) });
    return JSON.parse(text);
  };
  return { fetched, fetchJSON };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function option(args, name, fallback) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

async function run(output, text, { limit = 10, section = "", year = 0 } = {}) {
  const { searchModule, lunr } = modules(output);
  const { openIndex } = await import(searchModule);
  const { fetched, fetchJSON } = session(output);
  const started = performance.now();
  const index = await openIndex({ lunr, fetchJSON });
  const opened = performance.now();
  const found = await index.search(text, { section, year });
  const searched = performance.now();
  const shown = await index.documents(found.results.slice(0, limit).map((r) => r.ref), found.query);
  const finished = performance.now();
  const results = shown.map((doc, i) => ({
    url: `/${doc.url}`,
    title: doc.title,
    date: doc.date,
    section: doc.section,
    score: Math.round(found.results[i].score * 1e6) / 1e6,
    excerpt: doc.excerpt,
  }));
  return {
    query: text,
    total: found.total,
    partial: found.partial,
    corrected: found.corrected,
    results,
    fetched,
    ms: { open: opened - started, search: searched - opened, documents: finished - searched },
  };
}

async function main() {
  const [mode, where, ...rest] = process.argv.slice(2);
  const output = where && where !== "-" ? path.resolve(where) : where;
  if (mode === "analyze") {
    const { searchModule, lunr } = modules(output);
    const { analyze } = await import(searchModule);
    const vntext = await import(new URL("vntext.js", searchModule).href);
    const input = await readStdin();
    const answers = input.texts.map((text) => ({
      terms: analyze(lunr, text, input.abbreviations || {}),
      tokens: vntext.tokenize(text),
      normalize: vntext.normalize(text),
      fold: vntext.fold(text),
    }));
    if (input.dates) answers.push({ dates: input.dates.map((iso) => vntext.formatDate(iso)) });
    if (input.words) answers.push({ readings: input.words.map((word) => vntext.keyboardReadings(word)) });
    process.stdout.write(JSON.stringify(answers));
    return;
  }
  if (!output || !existsSync(path.join(output, "search", "meta.json"))) {
    process.stderr.write(`No search index under ${output}/search: build the site first (invoke build)\n`);
    process.exit(2);
  }
  if (mode === "search") {
    const text = rest.filter((arg, i) => !arg.startsWith("--") && !(i > 0 && rest[i - 1].startsWith("--"))).join(" ");
    const found = await run(output, text, {
      limit: Number(option(rest, "limit", 10)),
      section: option(rest, "section", ""),
      year: Number(option(rest, "year", 0)),
    });
    process.stdout.write(JSON.stringify(found.results, null, 2) + "\n");
  } else if (mode === "batch") {
    const input = await readStdin();
    const answers = [];
    for (const text of input.queries) answers.push(await run(output, text, { limit: input.limit || 10 }));
    process.stdout.write(JSON.stringify(answers));
  } else {
    process.stderr.write("usage: cli.mjs search|batch|analyze OUTPUT ...\n");
    process.exit(2);
  }
}

await main();
