"""How search.js reads and ranks a query, on small hand-written indexes (built as the build builds
them, queried through plugins/search/cli.mjs as the tests of the sample site do): no word required,
question words left out, whole words not completed, numbers never completed, Telex/VNI keys read,
short and last words corrected; passages from the body; highlights of whole syllables and phrases."""

from __future__ import annotations

import html
import json
import subprocess
from pathlib import Path

import pytest

from search.analysis import Abbreviations
from search.builder import IndexBuilder, SearchItem
from search.layout import SearchDocument
from search.writer import write_index

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "plugins" / "search" / "cli.mjs"
SEARCH_JS = (ROOT / "theme" / "static" / "js" / "search.js").as_uri()

FILLER = [
    "Ủy ban nhân dân tỉnh tổ chức hội nghị của các sở, ngành và địa phương.",
    "Các cơ quan được giao nhiệm vụ báo cáo kết quả cho Văn phòng.",
    "Người dân và doanh nghiệp được hướng dẫn nộp hồ sơ tại bộ phận một cửa.",
]


def document(slug: str, title: str, body: str, summary: str = "") -> SearchDocument:
    item = SearchItem(slug, title, html.escape(summary), "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n")))
    return SearchDocument(url=f"{slug}/", title=title, date="2024-05-06", section="", keywords="", source=slug, item=item)


def build(folder: Path, documents: list[SearchDocument]) -> Path:
    meta, files = IndexBuilder(Abbreviations()).files(documents, [])
    write_index(str(folder / "search"), meta, files)
    return folder


def ask(folder: Path, *queries: str) -> list[dict]:
    payload = json.dumps({"queries": list(queries), "limit": 10})
    done = subprocess.run(["node", str(CLI), "batch", str(folder)], input=payload, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def slugs(answer: dict) -> list[str]:
    return [r["url"].strip("/") for r in answer["results"]]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    docs = [
        document("xa", "Sắp xếp đơn vị hành chính cấp xã", "Tỉnh còn 38 xã, phường sau sắp xếp.\n" + FILLER[0]),
        document("xay", "Xây dựng trụ sở", "Xây dựng trụ sở mới cho các sở. " + FILLER[1]),
        document("xac", "Xác thực điện tử", "Xác thực điện tử cho người dân. " + FILLER[2]),
        document("so-125", "Kế hoạch số 125", "Kế hoạch số 125 về chuyển đổi số. " + FILLER[0]),
        document("so-12565", "Báo cáo 12565 hồ sơ", "Đã tiếp nhận 12565 hồ sơ trực tuyến. " + FILLER[1]),
        document("phrase", "Bộ phận tiếp nhận", "Cơ chế một cửa liên thông được áp dụng từ năm nay. " + FILLER[1]),
        document("scattered", "Cửa hàng một giá, liên kết thông tin", "Một đơn vị thông báo, cửa hàng liên hệ; một lần nữa, " + FILLER[1]),
        document("chu-ky-so", "Chữ ký số từ xa", "Người dân ký số hồ sơ trên điện thoại bằng chữ ký số từ xa.\n" + FILLER[2]),
        document("ky-luat", "Kỷ luật công vụ", "Chấn chỉnh kỷ luật, kỷ cương hành chính.\n" + FILLER[0]),
        document("gon", "Tinh gọn bộ máy", "Sắp xếp tinh gọn bộ máy các sở. " + FILLER[1]),
        document("huyen", "Huyện Tân Phước", "Huyện Tân Phước thí điểm trả kết quả qua bưu điện. " + FILLER[2]),
        document(
            "passage",
            "Trả kết quả qua bưu điện",
            FILLER[0] + " " + FILLER[1] + "\nÔng Huỳnh Văn Khải, ở xã Sông Xanh, cho biết trước đây mỗi lần làm giấy phép ông phải đi lại ba lượt. "
            "Nay ông chỉ nộp một lần và nhận kết quả tại nhà. Nhiều người dân cũng chọn cách này. " + FILLER[2],
            summary="Huyện thí điểm trả kết quả thủ tục qua dịch vụ bưu chính công ích.",
        ),
        document("title-only", "Hội nghị sơ kết Đề án 06", FILLER[1] + " " + FILLER[2], summary="Tóm tắt hội nghị về dữ liệu dân cư."),
    ]
    return build(tmp_path_factory.mktemp("query"), docs)


def test_no_word_is_required_and_pages_with_every_word_come_first(site):
    [answer] = ask(site, "ký số hồ sơ trên điện thoại ở xã Sông Xanh nào")
    assert slugs(answer)[0] == "chu-ky-so", "the page with most of the rare words, though it lacks some"
    [rare] = ask(site, "ký số của các sở")
    assert "chu-ky-so" in slugs(rare), "the rare words it has outweigh the common ones it lacks (của, các, sở)"
    [every, some] = ask(site, "một cửa liên thông", "liên thông hành chính")
    assert slugs(every)[0] == "phrase" and not every["partial"]
    assert some["total"] >= 1 and some["partial"], "no page has every word: those with most are found"


def test_adjacent_words_as_a_phrase_rank_first(site):
    [answer] = ask(site, "một cửa liên thông ")
    found = slugs(answer)
    assert "scattered" in found, "a page with every word, not side by side, is found too"
    assert found.index("phrase") < found.index("scattered")


def test_question_words_decide_nothing(site):
    plain, asked, yes_no = ask(site, "ký số trên điện thoại", "làm sao ký số trên điện thoại", "có ký số trên điện thoại không")
    assert slugs(asked)[:1] == slugs(plain)[:1] == ["chu-ky-so"] and not asked["partial"], "the page has every word that counts"
    assert asked["total"] == plain["total"] == yes_no["total"], "the same pages, as if the question words were not there"
    [alone] = ask(site, "bao nhiêu")
    assert slugs(alone) == ["passage"], "a query of question words alone is searched as it is (nhiều, folded)"


def test_a_whole_word_being_typed_is_not_completed(site):
    [xa] = ask(site, "xa")
    assert set(slugs(xa)) == {"xa", "chu-ky-so", "passage"}, "xã, xa: not xây, xác (completions of 'xa')"
    [typing] = ask(site, "xâ")
    assert "xay" in slugs(typing), "a part of a word is completed"


def test_numbers_are_never_completed(site):
    [answer] = ask(site, "125")
    assert slugs(answer) == ["so-125"], "125 does not match 12565"


@pytest.mark.parametrize(
    ("typed", "read", "expected"),
    [
        ("chu74 ky1 so61", "chữ ký số", "chu-ky-so"),  # VNI with the keyboard in English mode
        ("tinh gonj booj mays", "tinh gọn bộ máy", "gon"),  # Telex
        ("kyr luaatj", "kỷ luật", "ky-luat"),
    ],
)
def test_telex_and_vni_keys_are_read_as_the_words_they_type(site, typed, read, expected):
    [answer] = ask(site, typed)
    assert slugs(answer)[0] == expected
    assert answer["corrected"] == read


def test_a_word_the_index_has_is_kept_as_typed(site):
    [answer] = ask(site, "huyen")  # a Telex reading would be "huyên"; the index has "huyen"
    assert answer["corrected"] == "" and slugs(answer)[0] == "huyen"


@pytest.mark.parametrize(
    ("typed", "corrected", "expected"),
    [
        ("huyn tan phuoc", "huyện tan phuoc", "huyen"),  # a four-letter word, a letter missing
        ("ky luat ky cuogn", "ky luat ky cuong", "ky-luat"),  # the last word, two letters swapped
        ("xac thuc dien tuu ", "xac thuc dien tu", "xac"),  # a three-letter word
    ],
)
def test_typos_in_short_and_last_words_are_corrected(site, typed, corrected, expected):
    [answer] = ask(site, typed)
    assert slugs(answer)[0] == expected
    assert answer["corrected"].lower() in {corrected, corrected.replace("huyện", "huyen")}


def test_the_excerpt_is_the_passage_of_the_body_around_the_words(site):
    [answer] = ask(site, "huynh van khai")
    excerpt = answer["results"][0]["excerpt"]
    assert excerpt.startswith("Ông Huỳnh Văn Khải"), "sentence-aligned: from the start of the sentence"
    assert 160 <= len(excerpt) <= 240 and excerpt.endswith("."), len(excerpt)
    [title] = ask(site, "sơ kết đề án 06")
    assert title["results"][0]["excerpt"] == "Tóm tắt hội nghị về dữ liệu dân cư.", "a match only in the title shows the summary"


def test_passages_are_fetched_for_the_results_shown_only(site):
    [answer] = ask(site, "hồ sơ")
    passages = [f["url"] for f in answer["fetched"] if "/t/" in f["url"]]
    assert answer["total"] > 3 and len(passages) == len(answer["results"])


def run_js(body: str) -> object:
    script = f"const {{ parseQuery, highlight, bestPassage }} = await import({json.dumps(SEARCH_JS)});\n{body}"
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def marks(text: str, query: str, abbreviations: dict | None = None) -> list[str]:
    found = run_js(
        f"const q = parseQuery({json.dumps(query)}, {json.dumps(abbreviations or {})});"
        f"console.log(JSON.stringify(highlight({json.dumps(text)}, q).filter((s) => s.mark).map((s) => s.text)));"
    )
    assert isinstance(found, list)
    return found


def test_highlights_are_whole_phrases_never_a_syllable_of_another_word():
    text = "UBND tỉnh ban hành quy định về thủ tục hành chính; kiểm điểm cán bộ sau khi kiểm tra."
    assert marks(text, "thủ tục hành chính") == ["thủ tục hành chính"], "not hành of ban hành"
    assert marks(text, "kiểm tra") == ["kiểm tra"], "not kiểm of kiểm điểm"
    assert marks(text, "hành") == ["hành", "hành"], "a word alone in the query marks every match"
    assert marks("Giải quyết TTHC đúng hạn", "thủ tục hành chính", {"tthc": [["thu", "tuc", "hanh", "chinh"]]}) == ["TTHC"]
    assert marks("Bộ phận một cửa của tỉnh", "một cửa") == ["một cửa"], "of the accented words, not của"


def test_a_long_sentence_is_cut_around_its_match_at_words():
    sentence = " ".join(["các cơ quan hành chính nhà nước"] * 12) + " đã số hóa hồ sơ " + " ".join(["theo quy định"] * 20) + "."
    passage = run_js(f"console.log(JSON.stringify(bestPassage({json.dumps(sentence)}, parseQuery('số hóa hồ sơ'))))")
    assert isinstance(passage, str)
    assert "số hóa hồ sơ" in passage and passage.startswith("…") and passage.endswith("…") and len(passage) <= 242
    assert not passage.strip("…").startswith(" ")
