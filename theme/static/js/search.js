// Site search over the index plugins/search writes at build time. No DOM here: the search page
// (search-page.js) and `invoke search` (plugins/search/cli.mjs, under Node) both run this module.
//
// A query is analysed as the index was (vntext.js mirrors plugins/search/analysis.py), then only the
// files holding its terms are fetched: postings (with lunr's weights from the build), dictionary
// files to complete the word being typed, to read Telex/VNI keys or to correct a typo, and the
// display records and passage files of the results shown. Those postings become a small lunr index
// (lunr.Index.load), which scores every document exactly as the whole index would. No word is
// required: search() ranks pages with every word (its folded or exact form, a completion, a
// correction, or for "thủ tục hành chính" its abbreviation TTHC) first, the others by the share of
// the query's rarity they hold; question words ("bao nhiêu", "làm sao") are left out.

import { BOUNDARY, foldTerm, formatDate, isWord, keyboardReadings, normalizeTerm, tokenize, trimTerm } from "./vntext.js";

export const PIPELINE = ["vn-normalize", "vn-phrases", "vn-trimmer", "vn-fold"];

// Weights of a query's terms. The exact form adds to the folded one, so an accented query ranks
// documents with the same diacritics first; two syllables side by side add the pair's weight.
const BOOST = { folded: 1, exact: 1, pair: 4, abbreviation: 1, compound: 3, completion: 0.5, correction: 0.3 };
const COMPLETIONS = 3; // completions of the word being typed, most frequent first
const MIN_COMPLETION = 2; // letters typed before completing
const MIN_CORRECTION = 3; // letters in a word before a typo is corrected
const CORRECTIONS = 3; // corrections of a word, most frequent first
const MIN_SHARE = 0.5; // of the query's weight (rarity) a page holds to be a result

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

// Question words: how a reader asks, not what the answer holds. They never decide which pages are
// found (a page that answers "tỉnh còn bao nhiêu xã" need not write "bao nhiêu"), so they are left
// out of the query. Written as a reader types them; a phrase of several syllables is also known
// without diacritics, a single syllable only with them ("may" may be "máy", "nao" "não").
const QUESTION_PHRASES = [
  "bao nhiêu", "bao lâu", "bao giờ", "ở đâu", "làm sao", "làm thế nào", "như thế nào", "thế nào",
  "tại sao", "vì sao", "khi nào", "là gì", "mấy", "gì", "nào", "đâu",
].map((phrase) => phrase.split(" "));

function markQuestionWords(words) {
  // The syllable as written, or written without diacritics (for a phrase of several syllables).
  const unaccented = (word, syllable) => word.term === word.folded && word.folded === foldTerm(syllable);
  for (let k = 0; k < words.length; k++) {
    for (const phrase of QUESTION_PHRASES) {
      const several = phrase.length > 1;
      const fits = phrase.every((syllable, j) => {
        const word = words[k + j];
        return word && !word.question && (word.term === syllable || (several && unaccented(word, syllable)));
      });
      if (fits) {
        for (let j = 0; j < phrase.length; j++) words[k + j].question = true;
        break;
      }
    }
  }
  // "có … không": a yes-no question when the last word is "không" and "có" comes before it.
  const last = words[words.length - 1];
  const has = words.slice(0, -1).find((word) => word.folded === "co" && (word.term === "có" || word.term === "co"));
  if (last && has && (last.term === "không" || last.term === "khong")) last.question = has.question = true;
  // A query of question words alone is what the reader is looking for.
  if (words.every((word) => word.question)) for (const word of words) word.question = false;
  return words.filter((word) => !word.question);
}

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
 * A query's units (what a page may match: words, phrases with an abbreviation, document numbers)
 * and its terms with their weights. No unit is required: search() ranks pages with every unit
 * first. Question words are left out. The last word is completed while the reader is still typing
 * it (the text does not end with a space).
 */
export function parseQuery(text, abbreviationTable = {}) {
  const abbreviations = new Abbreviations(abbreviationTable);
  const tokens = tokenize(text).map((t) => (t === BOUNDARY ? t : normalizeTerm(t)));
  // Words between boundaries and document numbers, each run with its question words taken out.
  const runs = [];
  let run = [];
  for (const token of tokens) {
    if (token === BOUNDARY) {
      runs.push(run);
      run = [];
    } else if (!isWord(token)) {
      const count = token.split(/[/-]/).filter(Boolean).length;
      const parts = run.splice(Math.max(0, run.length - count), count);
      runs.push(run, { compound: token, parts });
      run = [];
    } else {
      run.push(wordUnit(token));
    }
  }
  runs.push(run);
  const everyWord = runs.flatMap((r) => (Array.isArray(r) ? r : []));
  const kept = new Set(markQuestionWords([...everyWord]));
  const units = [];
  const boosts = new Map();
  const add = (term, boost) => boosts.set(term, (boosts.get(term) || 0) + boost);
  const words = (list) => {
    let previous = null;
    for (const unit of list) {
      unit.before = previous; // the word just before it, when nothing separates them
      add(unit.folded, BOOST.folded);
      if (unit.term !== unit.folded) add(unit.term, BOOST.exact);
      if (previous) add(`${previous.folded} ${unit.folded}`, BOOST.pair);
      previous = unit;
    }
    return list;
  };
  for (const part of runs) {
    if (Array.isArray(part)) {
      // A question word breaks a phrase: "xã sau" of "bao nhiêu xã sau" is one, "nhiêu xã" none.
      let current = [];
      for (const word of part) {
        if (kept.has(word)) current.push(word);
        else {
          units.push(...groupPhrases(words(current), abbreviations, abbreviations.longest));
          current = [];
        }
      }
      units.push(...groupPhrases(words(current), abbreviations, abbreviations.longest));
    } else {
      units.push({ kind: "compound", term: part.compound, units: words(part.parts) });
      add(part.compound, BOOST.compound);
    }
  }
  const visit = (unit) => {
    if (unit.kind === "phrase") for (const short of unit.abbreviations) add(short, BOOST.abbreviation);
    for (const inner of unit.units || []) visit(inner);
  };
  units.forEach(visit);
  const last = everyWord[everyWord.length - 1];
  const endsWithWord = /[0-9\p{L}\p{M}]$/u.test(text) && tokens.length && isWord(tokens[tokens.length - 1]);
  const typing = endsWithWord && last && kept.has(last) ? last : null;
  return { text, units, boosts, typing, abbreviations };
}

// Does a page with these terms hold the unit? An accented word is held by its own spelling (or a
// completion, a correction), not by its folded form alone: "bỏ" is not held by a page with "bộ".
// A page with only the folded form holds it by half (``partly``: it may write the word unaccented).
function satisfied(unit, matched, partly = false) {
  if (unit.kind === "word") {
    for (const term of unit.alternatives) if (matched.has(term) && (partly || term !== unit.folded || unit.term === unit.folded)) return true;
    return false;
  }
  if (unit.kind === "phrase" && unit.abbreviations.some((short) => matched.has(short))) return true;
  if (unit.kind === "compound" && matched.has(unit.term)) return true;
  return unit.units.length > 0 && unit.units.every((inner) => satisfied(inner, matched, partly));
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

  // Does the index hold this term (a word or its exact form)? Read from the dictionary files.
  const known = async (term) => (await dictionary(foldTerm(term))).some(([entry]) => entry === term);
  // How rare a term is: lunr's idf, from the document frequency its postings give.
  const rarity = (fields) => {
    const refs = fields.reduce((sum, flat) => sum + (flat ? flat.length / 2 : 0), 0);
    return Math.log(1 + Math.abs((meta.count - refs + 0.5) / (refs + 0.5)));
  };

  /** Words the index does not have, read as Telex or VNI keys when that gives a word it has. */
  async function repairKeys(query, found) {
    const repaired = new Map();
    for (const unit of wordUnits(query.units)) {
      if (found.has(unit.folded) || found.has(unit.term) || repaired.has(unit.term)) continue;
      for (const reading of keyboardReadings(unit.term)) {
        if (await known(reading)) {
          repaired.set(unit.term, reading);
          break;
        }
      }
    }
    return repaired;
  }

  async function expand(query, found) {
    const extra = [];
    const typing = query.typing;
    const wholeWord = (unit) => found.has(unit.term) && (!unit.before || found.has(`${unit.before.folded} ${unit.folded}`));
    // The word being typed: its most frequent completions, unless it is a whole word already (in
    // the phrase it ends: "hành chín" is completed, "cải cách hành" and "xã" are not) or a number.
    let completed = false;
    if (typing && typing.folded.length >= MIN_COMPLETION && !/^[0-9]/.test(typing.folded) && !wholeWord(typing)) {
      const entries = await dictionary(typing.folded);
      const pick = (keep) =>
        entries
          .filter(([term]) => keep(term) && !typing.alternatives.has(term))
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, COMPLETIONS)
          .map(([term]) => term);
      const completions = pick((term) => term === foldTerm(term) && !term.includes("/") && !/^[0-9]/.test(term));
      if (typing.term !== typing.folded) completions.push(...pick((term) => term !== foldTerm(term) && term.startsWith(typing.term)));
      for (const term of completions) {
        completed = true;
        typing.alternatives.add(term);
        typing.completions = [...(typing.completions || []), term];
        extra.push([term, BOOST.completion]);
        // "một cửa liên thô": the pair "lien thong" ranks the phrase first while it is being typed.
        if (typing.before && term === foldTerm(term)) extra.push([`${typing.before.folded} ${term}`, BOOST.pair * BOOST.completion]);
      }
    }
    // Words the index does not have: one edit away (a letter more, less, another, two swapped),
    // among words with the same first letter; the most frequent few. Words of three letters and
    // more, and the word being typed when nothing completes it.
    for (const unit of wordUnits(query.units)) {
      if ((unit === typing && completed) || unit.folded.length < MIN_CORRECTION || /^[0-9]/.test(unit.folded)) continue;
      if (found.has(unit.folded) || found.has(unit.term)) continue;
      const entries = await dictionary(unit.folded[0]);
      const near = entries
        .filter(([term]) => term === foldTerm(term) && !term.includes("/") && oneEditApart(unit.folded, term))
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, CORRECTIONS);
      for (const [term] of near) {
        unit.alternatives.add(term);
        extra.push([term, BOOST.correction]);
        if (unit.before) extra.push([`${unit.before.folded} ${term}`, BOOST.pair * BOOST.correction]);
      }
      if (near.length) unit.correction = near[0][0];
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

  // How much a unit weighs when a page lacks it: the rarity of its rarest matching form.
  function unitWeight(unit, found) {
    const forms =
      unit.kind === "word" ? [...unit.alternatives] : unit.kind === "compound" ? [unit.term] : unit.kind === "phrase" ? unit.abbreviations : [];
    let best = 0;
    for (const term of forms) if (found.has(term)) best = Math.max(best, rarity(found.get(term)));
    if (unit.kind !== "word") for (const inner of unit.units) best = Math.max(best, unitWeight(inner, found));
    return best;
  }

  /**
   * Search: {results: [{ref, score, lunrScore}], total, partial, facets, query, corrected}
   * (lunrScore: lunr's own score, before the share of the query a page lacks). No word is
   * required: pages with every unit of the query come first (among them those with each pair of
   * adjacent words as a phrase), then pages that lack some, by their score times the share of the
   * query's weight (rarity) they hold; pages holding less than half of it are not results. Filters:
   * section (an id; its children count too) and year. partial: no page has every unit. corrected:
   * the query as read (Telex/VNI keys) and corrected (typos), when that differs from the text.
   */
  async function search(text, { section = "", year = 0 } = {}) {
    let query = parseQuery(text, meta.abbreviations);
    const none = { query, results: [], total: 0, partial: false, facets: { sections: [], years: [] }, corrected: "" };
    if (!query.units.length) return none;
    let found = await postingsOf([...query.boosts.keys()]);
    // Keys typed with the Vietnamese keyboard off ("hanhf chinhs"): the query read as they meant it.
    const repaired = await repairKeys(query, found);
    let searched = text;
    if (repaired.size) {
      searched = text.normalize("NFC").replace(WORD_IN_TEXT_RE, (word) => repaired.get(normalizeTerm(word)) ?? word);
      query = parseQuery(searched, meta.abbreviations);
      query.text = text;
      found = await postingsOf([...query.boosts.keys()]);
    }
    await expand(query, found);
    const corrections = new Map(wordUnits(query.units).filter((u) => u.correction).map((u) => [u.term, u.correction]));
    const corrected = corrections.size
      ? searched.normalize("NFC").replace(WORD_IN_TEXT_RE, (word) => corrections.get(normalizeTerm(word)) ?? word)
      : searched;
    // Rare terms dominate, common ones count little: each term's weight in the query is scaled by
    // its rarity too (lunr's weights hold it once, on the page's side), so "của", "và", "sau", "khi"
    // barely count and no word needs a stop list.
    for (const [term, fields] of found) query.boosts.set(term, (query.boosts.get(term) || 0) * Math.sqrt(rarity(fields)));
    const matches = found.size ? score(query, found) : [];
    const weights = query.units.map((unit) => unitWeight(unit, found));
    const total = weights.reduce((a, b) => a + b, 0);
    const pairs = [...query.boosts.keys()].filter((term) => term.includes(" "));
    query.rarity = new Map([...found].map(([term, fields]) => [term, rarity(fields)]));
    let complete = 0;
    const scored = [];
    for (const match of matches) {
      const matched = new Set(Object.keys(match.matchData.metadata));
      // The share of the query's weight a page holds: as spelt (for the order), and folded (for
      // whether it is a result at all, so that "một cửa" and "mot cua" find the same pages).
      let share = 0;
      let folded = 0;
      let every = true;
      query.units.forEach((unit, i) => {
        if (satisfied(unit, matched)) share += weights[i];
        else every = false;
        if (satisfied(unit, matched, true)) folded += weights[i];
      });
      share = total ? share / total : 1;
      if (!every && (total ? folded / total : 1) < MIN_SHARE) continue;
      if (every) complete += 1;
      const phrases = every && pairs.length > 0 && pairs.every((pair) => matched.has(pair) || !found.has(pair));
      const tier = every ? (phrases ? 0 : 1) : 2;
      scored.push({ ref: Number(match.ref), score: every ? match.score : match.score * share, lunrScore: match.score, tier });
    }
    const partial = complete === 0;
    scored.sort((a, b) => a.tier - b.tier || b.score - a.score || a.ref - b.ref);
    const sectionNumber = section ? sections.findIndex((s) => s.id === section) : -1;
    const inSection = (ref) => sectionNumber < 0 || withAncestors(docSection[ref]).includes(sectionNumber);
    const inYear = (ref) => !year || docYear[ref] === Number(year);
    const sectionCounts = new Map();
    const yearCounts = new Map();
    const results = [];
    for (const result of scored) {
      const sectionOk = inSection(result.ref);
      const yearOk = inYear(result.ref);
      if (yearOk && docSection[result.ref] >= 0) {
        for (const n of withAncestors(docSection[result.ref])) sectionCounts.set(n, (sectionCounts.get(n) || 0) + 1);
      }
      if (sectionOk && docYear[result.ref]) yearCounts.set(docYear[result.ref], (yearCounts.get(docYear[result.ref]) || 0) + 1);
      if (sectionOk && yearOk) results.push({ ref: result.ref, score: result.score, lunrScore: result.lunrScore });
    }
    const facets = {
      sections: sections
        .filter((s) => sectionCounts.has(s.number))
        .map((s) => ({ id: s.id, title: s.title, depth: withAncestors(s.number).length - 1, count: sectionCounts.get(s.number) })),
      years: [...yearCounts].sort((a, b) => b[0] - a[0]).map(([y, count]) => ({ year: y, count })),
    };
    const changed = corrected.normalize("NFC").toLowerCase() !== text.normalize("NFC").toLowerCase();
    return { query, results, total: results.length, partial, facets, corrected: changed ? corrected.trim() : "" };
  }

  /**
   * Display records of the given refs: {ref, url, title, date, section, excerpt}. With the query,
   * each record's passage file is fetched (for these refs only) and the excerpt is the passage of
   * its body that best matches the query (the document's excerpt when none does).
   */
  async function documents(refs, query = null) {
    const per = meta.docsPerFile;
    const shards = new Map();
    const passages = new Map();
    await Promise.all([
      ...[...new Set(refs.map((ref) => Math.floor(ref / per)))].map(async (n) => shards.set(n, await load(`s/${n}.json`))),
      ...refs.map(async (ref) => passages.set(ref, await load(`t/${ref}.json`))),
    ]);
    return refs.map((ref) => {
      const [url, title, date, section] = shards.get(Math.floor(ref / per))[ref % per];
      const [summary, body] = passages.get(ref);
      return {
        ref,
        url: root + url,
        title,
        date,
        dateText: formatDate(date),
        section: section >= 0 ? sections[section].id : "",
        sectionTitle: section >= 0 ? sections[section].title : "",
        excerpt: (query && bestPassage(body, query)) || summary,
      };
    });
  }

  return { meta, search, documents, sections };
}

// A word of a query's text, to put a corrected word in its place.
const WORD_IN_TEXT_RE = /[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f]+/giu;

// --- Highlighting and passages -------------------------------------------------------------------

const DISPLAY_WORD_RE = /[0-9]+(?:[.,][0-9]+)+|[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f]+/giu;

// Does a word of a text stand for a query's word? An accented query word matches the same word and
// the word written without diacritics, not other diacritics ("cửa" matches "cửa" and "cua", not
// "của"); an unaccented one matches every spelling; completions and corrections match as written.
function matchesWord(word, unit) {
  const accented = unit.term !== unit.folded;
  for (const term of unit.alternatives) {
    if (term !== foldTerm(term)) {
      if (word.term === term) return true;
    } else if (term !== unit.folded || !accented) {
      if (word.key === term) return true;
    }
  }
  return accented && word.key === unit.folded && word.term === word.key;
}

/**
 * The words of a text a query matches, as whole syllables and phrases: a query word that stands
 * next to another in the query marks a text word only where the text has the two side by side
 * ("hành" of "thủ tục hành chính" is not marked in "ban hành"); a word alone in the query marks
 * every match. Abbreviations mark the phrase they stand for and back (TTHC, thủ tục hành chính).
 */
function markedWords(text, query) {
  const words = [...text.matchAll(DISPLAY_WORD_RE)].map((m) => {
    const term = normalizeTerm(m[0]);
    return { start: m.index, end: m.index + m[0].length, term, key: foldTerm(term), mark: false, weight: 0 };
  });
  const units = wordUnits(query.units);
  const next = new Map(units.filter((u) => u.before).map((u) => [u.before, u]));
  const rarity = (unit) => {
    let best = 0.5;
    for (const term of unit.alternatives) best = Math.max(best, (query.rarity && query.rarity.get(term)) || 0);
    return best;
  };
  const together = (a, b) => /^[\s/-]+$/.test(text.slice(a.end, b.start));
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    for (const unit of units) {
      if (!matchesWord(word, unit)) continue;
      const after = next.get(unit);
      if (!unit.before && !after) {
        word.mark = true;
        word.weight = Math.max(word.weight, rarity(unit));
        continue;
      }
      // A run of the query's words side by side, from this one on.
      let j = i;
      let current = unit;
      while (j + 1 < words.length && next.get(current) && together(words[j], words[j + 1]) && matchesWord(words[j + 1], next.get(current))) {
        current = next.get(current);
        j++;
      }
      if (j > i) {
        let u = unit;
        for (let k = i; k <= j; k++, u = next.get(u)) {
          words[k].mark = true;
          words[k].weight = Math.max(words[k].weight, 2 * rarity(u)); // a phrase counts double
        }
      }
    }
  }
  const shorts = new Set();
  const phrases = [];
  const visit = (unit) => {
    if (unit.kind === "phrase") unit.abbreviations.forEach((short) => shorts.add(short));
    if (unit.kind === "compound") shorts.add(unit.term);
    (unit.units || []).forEach(visit);
  };
  query.units.forEach(visit);
  for (const unit of units) {
    const expansions = query.abbreviations.table[unit.folded];
    if (expansions) phrases.push(...expansions);
  }
  for (const word of words) {
    if (shorts.has(word.key)) {
      word.mark = true;
      word.weight = Math.max(word.weight, 2);
    }
  }
  for (const phrase of phrases) {
    for (let i = 0; i + phrase.length <= words.length; i++) {
      if (phrase.every((w, j) => words[i + j].key === w)) {
        for (let j = 0; j < phrase.length; j++) {
          words[i + j].mark = true;
          words[i + j].weight = Math.max(words[i + j].weight, 2);
        }
      }
    }
  }
  return words;
}

/** Split a text into [{text, mark}] segments: the words the query matched are marked (markedWords). */
export function highlight(text, query) {
  text = text.normalize("NFC");
  const found = markedWords(text, query);
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

export const PASSAGE = { min: 160, max: 240 };
// A sentence ends at . ! ? … or ; before a space, or where a line (paragraph, list item) ends.
function sentencesOf(text) {
  const sentences = [];
  let line = 0;
  for (const paragraph of text.split("\n")) {
    let at = 0;
    for (const part of paragraph.split(/(?<=[.!?…;])\s+(?=\S)/u)) {
      if (part.trim()) sentences.push({ text: part.trim(), line, at: at++ });
    }
    line++;
  }
  return sentences;
}

/**
 * The passage of a body that best answers a query: the sentence whose marked words weigh most
 * (rare words more, phrases double), with the sentences around it in its paragraph until about
 * PASSAGE.min-PASSAGE.max characters, whole sentences; a sentence longer than that is cut around
 * its first mark, at words, with "…". "" when no word of the body is marked.
 */
export function bestPassage(body, query) {
  if (!body) return "";
  const sentences = sentencesOf(body.normalize("NFC"));
  let best = -1;
  let bestScore = 0;
  const scores = sentences.map((sentence, i) => {
    const marked = markedWords(sentence.text, query).filter((w) => w.mark);
    const distinct = new Set(marked.map((w) => w.key));
    const value = marked.reduce((sum, w) => sum + w.weight, 0) / Math.sqrt(marked.length || 1) + distinct.size;
    const score = marked.length ? value : 0;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
    return score;
  });
  if (best < 0) return "";
  let first = best;
  let last = best;
  let length = sentences[best].text.length;
  const fits = (i) => i >= 0 && i < sentences.length && sentences[i].line === sentences[best].line && length + 1 + sentences[i].text.length <= PASSAGE.max;
  while (length < PASSAGE.min) {
    // The neighbour that matches more, the next one when neither does: a passage reads on.
    const after = fits(last + 1) ? scores[last + 1] : -1;
    const before = fits(first - 1) ? scores[first - 1] : -1;
    if (after < 0 && before < 0) break;
    if (after >= before) length += 1 + sentences[++last].text.length;
    else length += 1 + sentences[--first].text.length;
  }
  const passage = sentences.slice(first, last + 1).map((s) => s.text).join(" ");
  if (passage.length <= PASSAGE.max) return passage;
  // One long sentence: a window around its first mark, cut at spaces.
  const marks = markedWords(passage, query).filter((w) => w.mark);
  const center = marks.length ? marks[0].start : 0;
  let from = Math.max(0, center - Math.floor(PASSAGE.max / 3));
  if (from > 0) from = passage.indexOf(" ", from) + 1 || from;
  let to = Math.min(passage.length, from + PASSAGE.max - 2);
  if (to < passage.length) to = passage.lastIndexOf(" ", to) > from ? passage.lastIndexOf(" ", to) : to;
  return `${from > 0 ? "…" : ""}${passage.slice(from, to).trim()}${to < passage.length ? "…" : ""}`;
}
