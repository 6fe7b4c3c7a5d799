// Vietnamese text handling in the browser: the mirror of plugins/vntext (normalize, fold) and of the
// search tokenizer in plugins/search/analysis.py (tokenize, normalizeTerm, foldTerm).
// tests/test_search_pipeline.py runs both sides on the same generated strings and requires equal output.

// Tone marks (thanh điệu); circumflex, breve and horn belong to the vowel and never move.
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
// Python's [^\W\d_] is letters plus non-decimal numerals; NFD text adds combining marks.
const WORD_RE = /(?:[\p{L}\p{Nl}\p{No}]|[\u0300-\u036f])+/gu;
// Only an open syllable whose vowel is oa, oe or uy has two spellings (hoá/hóa, thuỷ/thủy); after
// "q" the u belongs to the consonant (quý).
const OPEN_GLIDE_RE = /^([^aeiouy]*)(o[ae]|uy)$/i;
// Marks with a non-zero combining class, which vntext.fold drops (U+034F has class 0 and stays).
const COMBINING_RE = /[\u0300-\u034e\u0350-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

function placeTone(word) {
  const tones = word.match(TONE_MARKS);
  if (!tones || tones.length !== 1) return word;
  const match = OPEN_GLIDE_RE.exec(word.replace(TONE_MARKS, ""));
  if (!match || match[1].toLowerCase().endsWith("q")) return word;
  return match[1] + match[2][0] + tones[0] + match[2][1];
}

/** NFC with one tone placement: "Uỷ ban, hoá đơn" -> "Ủy ban, hóa đơn" (vntext.normalize). */
export function normalize(text) {
  return text.normalize("NFC").normalize("NFD").replace(WORD_RE, placeTone).normalize("NFC");
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2024-03-20" -> "20/03/2024", as vntext.format_date writes it; "" for anything else. */
export function formatDate(iso) {
  const day = ISO_DATE_RE.exec(iso || "");
  return day ? `${day[3]}/${day[2]}/${day[1]}` : "";
}

/** Every diacritic removed and đ/Đ mapped to d/D; case kept (vntext.fold). */
export function fold(text) {
  return text.normalize("NFD").replace(COMBINING_RE, "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFC");
}

// --- Search terms (plugins/search/analysis.py) -------------------------------------------------

export const BOUNDARY = ".";
const LETTERS = "a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u1e00-\\u1eff\\u0300-\\u036f";
const TERM = `0-9${LETTERS}`;
const KIND = "[a-zđ][a-zđ0-9]*";
const COMPOUND =
  `(?<![${TERM}/.-])` +
  `(?:[0-9]{1,5}[a-z]?(?:/(?:19|20)[0-9]{2})?/${KIND}(?:-${KIND})*|[0-9]{1,5}[a-z]?-[a-zđ]{1,6}/${KIND})` +
  `(?![${TERM}/])`;
const STOPS = ".,;:!?()\\[\\]{}\"|\\u201c\\u201d\\u00ab\\u00bb\\u2026\\u2013\\u2014\\n";
const TOKEN_RE = new RegExp(
  `(?<compound>${COMPOUND})|(?<number>[0-9]+(?:[.,][0-9]+)+)|(?<word>[${TERM}]+)|(?<stop>[${STOPS}]+)`,
  "g",
);
const THOUSANDS_RE = /^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$/;
const LEADING_ZEROS_RE = /^0+(?=[0-9])/;
const TRIM_RE = new RegExp(`^[^${TERM}]+|[^${TERM}]+$`, "g");

/** Words, numbers, document numbers (after their parts) and "." where a phrase ends. */
export function tokenize(text) {
  const tokens = [];
  for (const match of text.normalize("NFC").toLowerCase().matchAll(TOKEN_RE)) {
    const { compound, stop } = match.groups;
    if (stop !== undefined) {
      if (tokens.length && tokens[tokens.length - 1] !== BOUNDARY) tokens.push(BOUNDARY);
    } else if (compound !== undefined) {
      for (const part of compound.split(/[/-]/)) if (part) tokens.push(part);
      tokens.push(compound);
    } else {
      tokens.push(match[0]);
    }
  }
  return tokens;
}

function numberForm(term) {
  if (THOUSANDS_RE.test(term)) term = term.replace(/\./g, "");
  term = term.replace(/\./g, ",");
  return /^[0-9]+$/.test(term) ? term.replace(LEADING_ZEROS_RE, "") : term;
}

const normalized = new Map();
const folded = new Map();

/** The form a term is indexed and searched in (analysis.normalize_term). */
export function normalizeTerm(token) {
  let found = normalized.get(token);
  if (found === undefined) {
    found = normalize(token.toLowerCase()).toLowerCase();
    if (found.includes("/")) found = fold(found).toLowerCase().replace(LEADING_ZEROS_RE, "");
    else if (/^[0-9]/.test(found)) found = numberForm(found);
    normalized.set(token, found);
  }
  return found;
}

/** The folded, lower-case form of a normalized term (analysis.fold_term). */
export function foldTerm(term) {
  let found = folded.get(term);
  if (found === undefined) {
    found = fold(term).toLowerCase();
    folded.set(term, found);
  }
  return found;
}

/** What is not a letter or digit, stripped from both ends (the vn-trimmer). */
export function trimTerm(term) {
  return term.replace(TRIM_RE, "");
}

/** A word, as opposed to a phrase boundary or a document number. */
export function isWord(token) {
  return token !== BOUNDARY && !token.includes("/");
}

// --- Telex and VNI leftovers (vntext.keyboard_readings) ------------------------------------------

const VOWELS = "aăâeêioôơuưy";
const TONE_KEYS = { s: "\u0301", f: "\u0300", r: "\u0309", x: "\u0303", j: "\u0323", z: "" };
const VNI_TONES = { 1: "\u0301", 2: "\u0300", 3: "\u0309", 4: "\u0303", 5: "\u0323", 0: "" };
const CIRCUMFLEX = { a: "â", e: "ê", o: "ô" };
const HORN = { o: "ơ", u: "ư" };
const KEYED_RE = /^[a-z0-9]+$/;
const TYPED_TONE_RE = /[\u0300\u0301\u0303\u0309\u0323]/g;
const SYLLABLE_RE = new RegExp(`^[bcdđghklmnpqrstvx]*[${VOWELS}]+[cghkmnpt]*$`);
const isVowel = (c) => c !== "" && VOWELS.includes(c);

function placeTypedTone(letters, tone) {
  const word = letters.join("");
  let start = 0;
  while (start < word.length && !isVowel(word[start])) start++;
  if (start < word.length - 1 && ((word[start] === "u" && word[start - 1] === "q") || (word[start] === "i" && word[start - 1] === "g"))) {
    if (isVowel(word[start + 1])) start++;
  }
  let end = start;
  while (end < word.length && isVowel(word[end])) end++;
  if (start === end || !tone) return normalize(word);
  const marked = [];
  for (let i = start; i < end; i++) if ("ăâêôơư".includes(word[i])) marked.push(i);
  let at;
  if (marked.length) at = marked[marked.length - 1];
  else if (end < word.length) at = end - 1;
  else at = start + (end - start === 3 ? 1 : 0);
  return normalize(word.slice(0, at + 1) + tone + word.slice(at + 1));
}

function telex(word) {
  const letters = [];
  let tone = null;
  for (const ch of word) {
    const vowelBefore = letters.some(isVowel);
    const last = letters.length ? letters[letters.length - 1] : "";
    if (ch in TONE_KEYS && vowelBefore) tone = TONE_KEYS[ch];
    else if (ch === "d" && last === "d") letters[letters.length - 1] = "đ";
    else if (ch in CIRCUMFLEX && last === ch) letters[letters.length - 1] = CIRCUMFLEX[ch];
    else if (ch === "w") {
      let at = -1;
      for (let i = 0; i < letters.length; i++) if ("aou".includes(letters[i])) at = i;
      if (at < 0) {
        letters.push("ư"); // w alone is ư in Telex
        continue;
      }
      if (letters[at] === "o" && at > 0 && letters[at - 1] === "u") letters.splice(at - 1, 2, "ư", "ơ");
      else letters[at] = { a: "ă", o: "ơ", u: "ư" }[letters[at]];
    } else letters.push(ch);
  }
  return placeTypedTone(letters, tone || "");
}

function vni(word) {
  const letters = [];
  let tone = null;
  for (const ch of word) {
    if (!/[0-9]/.test(ch)) {
      letters.push(ch);
      continue;
    }
    if (!letters.length) return word;
    if (ch in VNI_TONES) {
      tone = VNI_TONES[ch];
      continue;
    }
    const wanted = { 6: "aeo", 7: "ou", 8: "a", 9: "d" }[ch];
    let found = -1;
    for (let i = letters.length - 1; i >= 0; i--) {
      if (wanted.includes(letters[i])) {
        found = i;
        break;
      }
    }
    if (found < 0) return word;
    if (ch === "6") letters[found] = CIRCUMFLEX[letters[found]];
    else if (ch === "7") {
      if (letters[found] === "o" && found > 0 && letters[found - 1] === "u") letters[found - 1] = "ư";
      letters[found] = HORN[letters[found]];
    } else if (ch === "8") letters[found] = "ă";
    else letters[found] = "đ";
  }
  return placeTypedTone(letters, tone || "");
}

// Each reading, and after one with ươ the same with uơ (trường, but thuở).
function withOpenHorn(readings) {
  const out = [];
  for (const reading of readings) {
    out.push(reading);
    const decomposed = reading.normalize("NFD");
    if (decomposed.includes("u\u031bo\u031b")) out.push(decomposed.replace("u\u031bo\u031b", "uo\u031b").normalize("NFC"));
  }
  return out;
}

function oneSyllable(reading) {
  const decomposed = reading.normalize("NFD");
  const tones = decomposed.match(TYPED_TONE_RE) || [];
  return tones.length <= 1 && SYLLABLE_RE.test(decomposed.replace(TYPED_TONE_RE, "").normalize("NFC"));
}

/** A word typed with the Vietnamese keyboard off: its Telex, then VNI reading ("hanhf" -> ["hành"]). */
export function keyboardReadings(word) {
  if (!KEYED_RE.test(word) || ![...word].some((c) => isVowel(c) || c === "w")) return [];
  const readings = [];
  for (const reading of withOpenHorn([telex(word), vni(word)])) {
    if (reading !== word && !readings.includes(reading) && !/[0-9]/.test(reading) && oneSyllable(reading)) readings.push(reading);
  }
  return readings;
}
