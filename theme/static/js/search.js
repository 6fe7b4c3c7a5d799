// Site search over the index plugins/search writes at build time. No DOM here: the search page
// (search-page.js) and `invoke search` (plugins/search/cli.mjs, under Node) both run this module.
//
// A query is analysed as the index was (vntext.js mirrors plugins/search/analysis.py), then only the
// files holding its terms are fetched: postings (with lunr's weights from the build), dictionary
// files to complete the word being typed or to correct a typo, and the display records of the
// results shown. Those postings become a small lunr index (lunr.Index.load), which scores every
// document exactly as the whole index would. Every word must match (its folded or exact form, a
// completion, a correction, or for a phrase such as "thủ tục hành chính" its abbreviation TTHC).

import { BOUNDARY, foldTerm, formatDate, isWord, normalizeTerm, tokenize, trimTerm } from "./vntext.js";

export const PIPELINE = ["vn-normalize", "vn-phrases", "vn-trimmer", "vn-fold"];

// Weights of a query's terms. The exact form adds to the folded one, so an accented query ranks
// documents with the same diacritics first; two syllables side by side add the pair's weight.
const BOOST = { folded: 1, exact: 1, pair: 4, abbreviation: 1, compound: 3, completion: 0.5, correction: 0.3 };
const COMPLETIONS = 3; // completions of the word being typed, most frequent first
const MIN_COMPLETION = 2; // letters typed before completing
const MIN_CORRECTION = 5; // letters in a word before a typo is corrected

class Abbreviations {
  constructor(table = {}) {
    this.table = table;
    this.byFirst = new Map();
    this.longest = 0;
    for (const [short, phrases] of Object.entries(table)) {
      for (const phrase of phrases) {
        if (!this.byFirst.has(phrase[0])) this.byFirst.set(phrase[0], []);
        this.byFirst.get(phrase[0]).push([short, phrase]);
        this.longest = Math.max(this.longest, phrase.length);
      }
    }
  }

  starting(word) {
    return this.byFirst.get(word) || [];
  }

  phraseAt(words, start) {
    const found = [];
    for (const [short, phrase] of this.starting(words[start])) {
      if (phrase.every((word, j) => words[start + j] === word) && !found.includes(short)) found.push(short);
    }
    return found;
  }
}

// --- The index pipeline, registered in lunr.js under the labels lunr.py uses --------------------

const registered = new WeakMap(); // lunr -> {abbreviations}

function followingWords(tokens, index, count) {
  const words = [];
  for (let i = index; i < tokens.length && words.length < count; i++) {
    const text = tokens[i].toString();
    if (isWord(text)) words.push(foldTerm(text));
  }
  return words;
}

/** Register the four pipeline functions with lunr.Pipeline (before lunr.Index.load needs them). */
export function registerPipeline(lunr, abbreviationTable = {}) {
  let state = registered.get(lunr);
  if (!state) {
    state = { abbreviations: new Abbreviations() };
    registered.set(lunr, state);
    const functions = {
      "vn-normalize": (token) => token.update((s) => normalizeTerm(s)),
      "vn-phrases": (token, i, tokens) => {
        const text = token.toString();
        if (text === BOUNDARY) return null;
        if (!isWord(text)) return token;
        const out = [token];
        const following = tokens[i + 1];
        if (following !== undefined && isWord(following.toString())) {
          const pair = `${foldTerm(text)} ${foldTerm(following.toString())}`;
          out.push(token.clone(() => pair));
        }
        const abbreviations = state.abbreviations;
        if (abbreviations.starting(foldTerm(text)).length) {
          for (const short of abbreviations.phraseAt(followingWords(tokens, i, abbreviations.longest), 0)) {
            out.push(new lunr.Token(short, { ...token.metadata }));
          }
        }
        return out;
      },
      "vn-trimmer": (token) => {
        token.update((s) => trimTerm(s));
        return token.toString() ? token : null;
      },
      "vn-fold": (token) => {
        const text = token.toString();
        const folded = foldTerm(text);
        return folded === text ? token : [token.clone(() => folded), token];
      },
    };
    for (const [label, fn] of Object.entries(functions)) lunr.Pipeline.registerFunction(fn, label);
  }
  state.abbreviations = new Abbreviations(abbreviationTable);
  return state;
}

/** The terms the index holds for a text: the tokenizer and the lunr pipeline, as lunr.py builds it. */
export function analyze(lunr, text, abbreviationTable = {}) {
  registerPipeline(lunr, abbreviationTable);
  const pipeline = lunr.Pipeline.load(PIPELINE);
  return pipeline.run(tokenize(text).map((t) => new lunr.Token(t, {}))).map(String);
}

// --- Queries ---------------------------------------------------------------------------------------

function wordUnit(term) {
  const folded = foldTerm(term);
  return { kind: "word", term, folded, alternatives: new Set([folded, term]) };
}

function groupPhrases(words, abbreviations, longest) {
  const units = [];
  for (let k = 0; k < words.length; ) {
    let best = null;
    for (const [short, phrase] of abbreviations.starting(words[k].folded)) {
      if (phrase.length < 2 || phrase.length > longest) continue;
      if (!phrase.every((w, j) => words[k + j] && words[k + j].folded === w)) continue;
      if (!best || phrase.length > best.length) best = { length: phrase.length, shorts: [short] };
      else if (phrase.length === best.length && !best.shorts.includes(short)) best.shorts.push(short);
    }
    if (best) {
      const inner = groupPhrases(words.slice(k, k + best.length), abbreviations, best.length - 1);
      units.push({ kind: "phrase", abbreviations: best.shorts, units: inner });
      k += best.length;
    } else {
      units.push(words[k]);
      k += 1;
    }
  }
  return units;
}

/**
 * A query's units (every one must match) and its terms with their weights. The last word is
 * completed while the reader is still typing it (the text does not end with a space).
 */
export function parseQuery(text, abbreviationTable = {}) {
  const abbreviations = new Abbreviations(abbreviationTable);
  const tokens = tokenize(text).map((t) => (t === BOUNDARY ? t : normalizeTerm(t)));
  const units = [];
  const boosts = new Map();
  const add = (term, boost) => boosts.set(term, (boosts.get(term) || 0) + boost);
  let words = [];
  const flush = () => {
    units.push(...groupPhrases(words, abbreviations, abbreviations.longest));
    words = [];
  };
  let previous = null;
  for (const token of tokens) {
    if (token === BOUNDARY) {
      previous = null;
      continue;
    }
    if (!isWord(token)) {
      // A document number: its parts came just before it.
      const count = token.split(/[/-]/).filter(Boolean).length;
      const parts = words.splice(Math.max(0, words.length - count), count);
      flush();
      units.push({ kind: "compound", term: token, units: parts });
      add(token, BOOST.compound);
      previous = null;
      continue;
    }
    const unit = wordUnit(token);
    unit.before = previous; // the word just before it, when nothing separates them
    words.push(unit);
    add(unit.folded, BOOST.folded);
    if (unit.term !== unit.folded) add(unit.term, BOOST.exact);
    if (previous) add(`${previous.folded} ${unit.folded}`, BOOST.pair);
    previous = unit;
  }
  flush();
  const visit = (unit) => {
    if (unit.kind === "phrase") for (const short of unit.abbreviations) add(short, BOOST.abbreviation);
    for (const inner of unit.units || []) visit(inner);
  };
  units.forEach(visit);
  const last = tokens[tokens.length - 1];
  const typing = /[0-9\p{L}\p{M}]$/u.test(text) && last !== undefined && isWord(last) ? previous : null;
  return { text, units, boosts, typing, abbreviations };
}

function satisfied(unit, matched) {
  if (unit.kind === "word") {
    for (const term of unit.alternatives) if (matched.has(term)) return true;
    return false;
  }
  if (unit.kind === "phrase" && unit.abbreviations.some((short) => matched.has(short))) return true;
  if (unit.kind === "compound" && matched.has(unit.term)) return true;
  return unit.units.length > 0 && unit.units.every((inner) => satisfied(inner, matched));
}

function wordUnits(units, into = []) {
  for (const unit of units) {
    if (unit.kind === "word") into.push(unit);
    else wordUnits(unit.units, into);
  }
  return into;
}

// Optimal string alignment distance, stopping at 2: is b one edit (or one swap) away from a?
function oneEditApart(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// --- The index files ---------------------------------------------------------------------------

function compareKeys(a, b) {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function keyOf(term) {
  return [foldTerm(term), term];
}

// The file whose first term is the last one at or before key.
function fileFor(starts, key) {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (compareKeys(starts[middle], key) <= 0) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Open the index at metaUrl. fetchJSON(url) returns parsed JSON (fetch in a browser; files under
 * output/ in Node); lunr is lunr.js. URLs in the index are relative to the site's root.
 */
export async function openIndex({ lunr, fetchJSON, root = "" }) {
  const meta = await fetchJSON(`${root}search/meta.json`);
  registerPipeline(lunr, meta.abbreviations);
  const base = `${root}search/${meta.base}`;
  const postingStarts = meta.postings.map(keyOf);
  const dictionaryStarts = meta.dictionary.map(keyOf);
  const files = new Map();
  const load = (path) => {
    if (!files.has(path)) {
      files.set(path, fetchJSON(base + path).catch((error) => {
        files.delete(path);
        throw error;
      }));
    }
    return files.get(path);
  };
  const postingFiles = new Map(); // number -> Map(term -> fields)
  const postingFile = async (number) => {
    if (!postingFiles.has(number)) {
      const entries = await load(`p/${number}.json`);
      postingFiles.set(number, new Map(entries.map((entry) => [entry[0], entry.slice(1)])));
    }
    return postingFiles.get(number);
  };
  const postingsOf = async (terms) => {
    const numbers = new Map();
    for (const term of terms) numbers.set(term, fileFor(postingStarts, keyOf(term)));
    await Promise.all([...new Set(numbers.values())].map(postingFile));
    const found = new Map();
    for (const [term, number] of numbers) {
      const fields = postingFiles.get(number).get(term);
      if (fields) found.set(term, fields);
    }
    return found;
  };
  // Dictionary entries whose folded form starts with prefix.
  const dictionary = async (prefix) => {
    const first = fileFor(dictionaryStarts, [prefix, ""]);
    const last = fileFor(dictionaryStarts, [prefix + "\uffff", ""]);
    const numbers = [];
    for (let n = first; n <= last; n++) numbers.push(n);
    const shards = await Promise.all(numbers.map((n) => load(`d/${n}.json`)));
    return shards.flat().filter(([term]) => foldTerm(term).startsWith(prefix));
  };

  // Sections and years of every document, for the filters and their counts.
  const sections = meta.sections.map(([id, title, parent], number) => ({ id, title, parent, number }));
  const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  const docSection = Int16Array.from(meta.docSections, (c) => (c === "~" ? -1 : digits.indexOf(c)));
  const docYear = new Int16Array(meta.count);
  let at = 0;
  for (const [year, count] of meta.years) {
    docYear.fill(year, at, at + count);
    at += count;
  }
  const withAncestors = (number) => {
    const chain = [];
    for (let n = number; n >= 0; n = sections[n].parent) chain.push(n);
    return chain;
  };

  async function expand(query, found) {
    // The word being typed: its most frequent completions.
    const extra = [];
    const typing = query.typing;
    if (typing && typing.folded.length >= MIN_COMPLETION) {
      const entries = await dictionary(typing.folded);
      const pick = (keep) =>
        entries
          .filter(([term]) => keep(term) && !typing.alternatives.has(term))
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, COMPLETIONS)
          .map(([term]) => term);
      const completions = pick((term) => term === foldTerm(term) && !term.includes("/"));
      if (typing.term !== typing.folded) completions.push(...pick((term) => term !== foldTerm(term) && term.startsWith(typing.term)));
      for (const term of completions) {
        typing.alternatives.add(term);
        extra.push([term, BOOST.completion]);
        // "một cửa liên thô": the pair "lien thong" ranks the phrase first while it is being typed.
        if (typing.before && term === foldTerm(term)) extra.push([`${typing.before.folded} ${term}`, BOOST.pair * BOOST.completion]);
      }
    }
    // Words the index does not have: one edit away, among words with the same first letter.
    for (const unit of wordUnits(query.units)) {
      if (unit === typing || unit.folded.length < MIN_CORRECTION || found.has(unit.folded)) continue;
      const entries = await dictionary(unit.folded[0]);
      for (const [term] of entries) {
        if (term === foldTerm(term) && !term.includes("/") && oneEditApart(unit.folded, term)) {
          unit.alternatives.add(term);
          extra.push([term, BOOST.correction]);
        }
      }
    }
    for (const [term, boost] of extra) query.boosts.set(term, (query.boosts.get(term) || 0) + boost);
    const more = await postingsOf(extra.map(([term]) => term).filter((term) => !found.has(term)));
    for (const [term, fields] of more) found.set(term, fields);
  }

  function score(query, found) {
    // A lunr index of just these terms: their postings and the matching entries of the documents'
    // field vectors, with the build's weights, so lunr's scores are those of the whole index.
    const terms = [...found.keys()].sort();
    const invertedIndex = [];
    const vectors = new Map();
    terms.forEach((term, index) => {
      const posting = { _index: index };
      meta.fields.forEach((field, number) => {
        const refs = {};
        const flat = found.get(term)[number];
        let ref = 0;
        for (let j = 0; flat && j < flat.length; j += 2) {
          ref += flat[j];
          refs[ref] = {};
          const key = `${field}/${ref}`;
          if (!vectors.has(key)) vectors.set(key, []);
          vectors.get(key).push(index, flat[j + 1] / 1000);
        }
        posting[field] = refs;
      });
      invertedIndex.push([term, posting]);
    });
    const index = lunr.Index.load({
      version: lunr.version,
      fields: meta.fields,
      fieldVectors: [...vectors],
      invertedIndex,
      pipeline: meta.pipeline,
    });
    return index.query((q) => {
      for (const term of terms) q.term(term, { boost: query.boosts.get(term) || 0, usePipeline: true });
    });
  }

  /**
   * Search: {results: [{ref, score}], total, partial, facets, query}. Filters: section (an id; its
   * children count too) and year. partial: no document has every word, so those with most are shown.
   */
  async function search(text, { section = "", year = 0 } = {}) {
    const query = parseQuery(text, meta.abbreviations);
    if (!query.units.length) return { query, results: [], total: 0, partial: false, facets: { sections: [], years: [] } };
    const found = await postingsOf([...query.boosts.keys()]);
    await expand(query, found);
    const matches = found.size ? score(query, found) : [];
    const wanted = query.units.length;
    let best = 0;
    const scored = matches.map((match) => {
      const matched = new Set(Object.keys(match.matchData.metadata));
      const count = query.units.filter((unit) => satisfied(unit, matched)).length;
      best = Math.max(best, count);
      return { ref: Number(match.ref), score: match.score, units: count };
    });
    const partial = best < wanted;
    const kept = scored
      .filter((r) => r.units === best && best > 0)
      .sort((a, b) => b.score - a.score || a.ref - b.ref);
    const sectionNumber = section ? sections.findIndex((s) => s.id === section) : -1;
    const inSection = (ref) => sectionNumber < 0 || withAncestors(docSection[ref]).includes(sectionNumber);
    const inYear = (ref) => !year || docYear[ref] === Number(year);
    const sectionCounts = new Map();
    const yearCounts = new Map();
    const results = [];
    for (const result of kept) {
      const sectionOk = inSection(result.ref);
      const yearOk = inYear(result.ref);
      if (yearOk && docSection[result.ref] >= 0) {
        for (const n of withAncestors(docSection[result.ref])) sectionCounts.set(n, (sectionCounts.get(n) || 0) + 1);
      }
      if (sectionOk && docYear[result.ref]) yearCounts.set(docYear[result.ref], (yearCounts.get(docYear[result.ref]) || 0) + 1);
      if (sectionOk && yearOk) results.push({ ref: result.ref, score: result.score });
    }
    const facets = {
      sections: sections
        .filter((s) => sectionCounts.has(s.number))
        .map((s) => ({ id: s.id, title: s.title, depth: withAncestors(s.number).length - 1, count: sectionCounts.get(s.number) })),
      years: [...yearCounts].sort((a, b) => b[0] - a[0]).map(([y, count]) => ({ year: y, count })),
    };
    return { query, results, total: results.length, partial, facets };
  }

  /** Display records of the given refs: {ref, url, title, date, section, excerpt}. */
  async function documents(refs) {
    const per = meta.docsPerFile;
    const shards = new Map();
    await Promise.all(
      [...new Set(refs.map((ref) => Math.floor(ref / per)))].map(async (n) => shards.set(n, await load(`s/${n}.json`))),
    );
    return refs.map((ref) => {
      const [url, title, date, section, excerpt] = shards.get(Math.floor(ref / per))[ref % per];
      return {
        ref,
        url: root + url,
        title,
        date,
        dateText: formatDate(date),
        section: section >= 0 ? sections[section].id : "",
        sectionTitle: section >= 0 ? sections[section].title : "",
        excerpt,
      };
    });
  }

  return { meta, search, documents, sections };
}

// --- Highlighting ------------------------------------------------------------------------------

const DISPLAY_WORD_RE = /[0-9]+(?:[.,][0-9]+)+|[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f]+/giu;

/**
 * Split a text into [{text, mark}] segments: the words a query matched are marked, and so is a
 * phrase written out where the query has its abbreviation (TTHC marks "thủ tục hành chính").
 */
export function highlight(text, query) {
  text = text.normalize("NFC");
  // An accented query word marks the same word, and the word written without diacritics, but not
  // other diacritics ("cửa" marks "cửa" and "cua", not "của").
  const words = new Set();
  const exact = new Set();
  const phrases = [];
  for (const unit of wordUnits(query.units)) {
    for (const term of unit.alternatives) {
      if (term !== foldTerm(term)) exact.add(term);
      else if (term !== unit.folded || unit.term === unit.folded) words.add(term);
    }
    const expansions = query.abbreviations.table[unit.folded];
    if (expansions) phrases.push(...expansions);
  }
  const visit = (unit) => {
    if (unit.kind === "phrase") unit.abbreviations.forEach((short) => words.add(short));
    if (unit.kind === "compound") words.add(unit.term);
    (unit.units || []).forEach(visit);
  };
  query.units.forEach(visit);
  const found = [...text.matchAll(DISPLAY_WORD_RE)].map((m) => {
    const term = normalizeTerm(m[0]);
    return { start: m.index, end: m.index + m[0].length, term, key: foldTerm(term), mark: false };
  });
  const accentedUnits = new Set(wordUnits(query.units).filter((u) => u.term !== u.folded).map((u) => u.folded));
  for (const word of found) {
    word.mark =
      words.has(word.key) ||
      exact.has(word.term) ||
      (accentedUnits.has(word.key) && word.term === word.key);
  }
  for (const phrase of phrases) {
    for (let i = 0; i + phrase.length <= found.length; i++) {
      if (phrase.every((w, j) => found[i + j].key === w)) for (let j = 0; j < phrase.length; j++) found[i + j].mark = true;
    }
  }
  const segments = [];
  let position = 0;
  for (let i = 0; i < found.length; i++) {
    if (!found[i].mark) continue;
    const start = found[i].start;
    let end = found[i].end;
    // Marked words separated only by spaces become one mark.
    while (i + 1 < found.length && found[i + 1].mark && /^\s+$/.test(text.slice(end, found[i + 1].start))) end = found[++i].end;
    if (start > position) segments.push({ text: text.slice(position, start), mark: false });
    segments.push({ text: text.slice(start, end), mark: true });
    position = end;
  }
  if (position < text.length) segments.push({ text: text.slice(position), mark: false });
  return segments;
}
