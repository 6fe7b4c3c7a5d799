"""Related news (issue 4): the ranker on tiny corpora, its cost counted in operations, editors' pins
and exclusions, the three lists on the built pages, and precision@5 against hand-made labels."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime

import pytest
import yaml

import vntext
from conftest import ROOT, run_pelican
from related import Weights, page_lists, plain_text, rank_related

LABELS = yaml.safe_load((ROOT / "tests" / "related_labels.yaml").read_text(encoding="utf-8"))

# Eight short articles on different subjects; the first two are about the same thing.
SUBJECTS = {
    "so-hoa-xa": "Kiểm tra việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại bộ phận một cửa cấp xã; "
    "nhiều tệp quét chưa được ký số, kho dữ liệu số hóa chưa được tái sử dụng.",
    "so-hoa-huyen": "Huyện Tân Phước đẩy mạnh số hóa hồ sơ ngay khi tiếp nhận; kết quả số hóa được ký số và đưa vào "
    "kho dữ liệu để tái sử dụng, người dân không phải nộp lại giấy tờ.",
    "par-index": "Bộ Nội vụ công bố chỉ số PAR INDEX, tỉnh tăng ba bậc xếp thứ 17/63; chỉ số hài lòng SIPAS đạt 82%.",
    "sap-xep-xa": "Lấy ý kiến cử tri về phương án sắp xếp đơn vị hành chính cấp xã, nhập 26 xã thành 12 xã mới.",
    "hoa-don": "Từ tháng 7, doanh nghiệp và hộ kinh doanh bắt buộc dùng hóa đơn điện tử do cơ quan thuế cấp mã.",
    "tu-chu": "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập, bệnh viện tự bảo đảm chi thường xuyên.",
    "tap-huan": "Tập huấn kỹ năng giao tiếp, ứng xử cho công chức tiếp dân, xử lý tình huống khi người dân bức xúc.",
    "chu-ky-so": "Người dân dùng chữ ký số từ xa trên điện thoại để tự ký tờ khai khi nộp hồ sơ trực tuyến.",
}
DAY = date(2022, 6, 1)


def corpus(**changes) -> list[tuple]:
    """(id, text, section, topics, tags, date) for SUBJECTS; ``changes`` replaces fields by id."""
    docs = []
    for doc_id, text in SUBJECTS.items():
        doc = [doc_id, text, None, [], [], DAY]
        for index, value in changes.get(doc_id, {}).items():
            doc[index] = value
        docs.append(tuple(doc))
    return docs


# --- Scoring on tiny corpora ---------------------------------------------------------------------


def test_a_clearly_related_pair_ranks_first():
    related = rank_related(corpus(), 3)
    assert related["so-hoa-xa"][0] == "so-hoa-huyen"
    assert related["so-hoa-huyen"][0] == "so-hoa-xa"


def test_never_the_article_itself_and_every_article_gets_a_list():
    related = rank_related(corpus(), 10)
    assert set(related) == set(SUBJECTS)
    for doc_id, listed in related.items():
        assert doc_id not in listed
        assert len(listed) == len(set(listed))


def test_words_every_article_uses_link_nothing():
    # Six texts on unrelated subjects (no syllable in common) that all end with the same sentence:
    # that sentence's words are common, so they link nothing.
    subjects = ["Hợp tác xã nông nghiệp", "Giáo dục mầm non", "Bệnh viện đa khoa", "Du lịch biển đảo", "Thể thao quần chúng", "Phòng cháy chữa cháy rừng"]
    seen = [set(vntext.syllables(text)) for text in subjects]
    assert all(not (a & b) for i, a in enumerate(seen) for b in seen[i + 1 :])
    common = " Công tác cải cách hành chính tỉnh Bình An năm 2022."
    docs = [(f"bai-{i}", text + common, None, [], [], DAY) for i, text in enumerate(subjects)]
    assert all(listed == [] for listed in rank_related(docs, 5).values())
    # Keeping every word, they would all be related through that sentence alone.
    assert all(len(listed) == 5 for listed in rank_related(docs, 5, weights=Weights(max_df_ratio=1.0)).values())


# Two candidates with the same text (so the same content score); the one that would lose the tie
# (the larger id: "z-" sorts last) gets one extra reason to be related and must come first.
TWIN = "Người dân nộp hồ sơ trực tuyến, nhận kết quả qua bưu điện tại nhà."


def twins(query: dict, winner: dict, loser: dict | None = None) -> list[str]:
    base = {"text": TWIN, "section": None, "topics": [], "tags": [], "date": DAY}
    docs = []
    for doc_id, fields in (("q", query), ("z-winner", winner), ("a-loser", loser or {})):
        values = {**base, **fields}
        docs.append((doc_id, values["text"], values["section"], values["topics"], values["tags"], values["date"]))
    docs += [(f"other-{i}", text, None, [], [], DAY) for i, text in enumerate(SUBJECTS.values())]
    return rank_related(docs, 2)["q"]


def test_without_boosts_ties_go_to_the_smaller_id():
    assert twins({}, {}) == ["a-loser", "z-winner"]


@pytest.mark.parametrize(
    ("query", "winner", "loser"),
    [
        ({"section": "kiem-tra-cchc"}, {"section": "kiem-tra-cchc"}, {"section": "hinh-anh"}),
        ({"topics": ["cai-cach-tthc", "chinh-quyen-so"]}, {"topics": ["chinh-quyen-so"]}, {"topics": ["tai-chinh-cong"]}),
        ({"tags": ["mot-cua", "so-hoa"]}, {"tags": ["so-hoa"]}, {"tags": ["khen-thuong"]}),
        (
            {"text": TWIN + " Thực hiện Công văn 2410/UBND-KSTT."},
            {"text": TWIN + " Theo Công văn 2410/UBND-KSTT."},
            {"text": TWIN + " Theo công văn 2410 UBND KSTT."},  # the same syllables, not a document number
        ),
    ],
    ids=["section", "topics", "tags", "document number"],
)
def test_shared_section_topics_tags_and_document_numbers_lift_a_candidate(query, winner, loser):
    assert twins(query, winner, loser) == ["z-winner", "a-loser"]


def test_a_nearby_date_breaks_a_tie_even_against_a_newer_article():
    near, far = {"date": date(2015, 1, 10)}, {"date": date(2024, 1, 1)}
    assert twins({"date": date(2015, 3, 1)}, near, far) == ["z-winner", "a-loser"]
    # Without the preference, the tie goes to the newer one.
    docs = [("q", TWIN, None, [], [], date(2015, 3, 1)), ("z-near", TWIN, None, [], [], date(2015, 1, 10)), ("a-far", TWIN, None, [], [], date(2024, 1, 1))]
    docs += [(f"other-{i}", text, None, [], [], DAY) for i, text in enumerate(SUBJECTS.values())]
    assert rank_related(docs, 2, weights=Weights(date=0.0))["q"] == ["a-far", "z-near"]
    assert rank_related(docs, 2)["q"] == ["z-near", "a-far"]


def test_the_date_preference_is_gentle():
    # A clearly better text match still wins over a same-day article that matches weakly.
    docs = corpus(**{"so-hoa-huyen": {5: date(2014, 1, 1)}, "chu-ky-so": {5: DAY}})
    assert rank_related(docs, 2)["so-hoa-xa"][0] == "so-hoa-huyen"


def test_drafts_and_hidden_articles_get_a_list_but_are_never_listed():
    draft = ("ban-nhap", SUBJECTS["so-hoa-xa"] + " Bản nháp.", None, [], [], DAY)
    related = rank_related(corpus(), 5, queries=[draft])
    assert related["ban-nhap"][0] in {"so-hoa-xa", "so-hoa-huyen"}
    assert all("ban-nhap" not in listed for listed in related.values())


def test_pins_come_first_in_order_then_the_computed_ones():
    pins = {"so-hoa-xa": ["tap-huan", "hoa-don"]}
    related = rank_related(corpus(), 4, pins=pins)
    assert related["so-hoa-xa"][:3] == ["tap-huan", "hoa-don", "so-hoa-huyen"]
    assert len(related["so-hoa-xa"]) == 4
    assert rank_related(corpus(), 1, pins=pins)["so-hoa-xa"] == ["tap-huan", "hoa-don"]  # every pin is shown


def test_excluded_articles_are_never_listed():
    related = rank_related(corpus(), 5, excludes={"so-hoa-xa": {"so-hoa-huyen"}})
    assert "so-hoa-huyen" not in related["so-hoa-xa"]
    assert related["so-hoa-huyen"][0] == "so-hoa-xa"  # only for the article that excludes it


def test_the_result_does_not_depend_on_input_order():
    docs = corpus(**{"par-index": {2: "chi-so-cchc", 4: ["par-index"]}, "so-hoa-huyen": {4: ["so-hoa"]}})
    expected = rank_related(docs, 4)
    for seed in range(5):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert rank_related(shuffled, 4) == expected


def test_the_result_does_not_depend_on_the_hash_seed():
    script = (
        "import json, sys; sys.path.insert(0, 'plugins'); sys.path.insert(0, 'tests');"
        "import test_related as t; from related import rank_related;"
        "print(json.dumps(rank_related(t.generated_archive(300, seed=7), 5), sort_keys=True))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) == 300


def test_ids_must_be_unique():
    with pytest.raises(ValueError):
        rank_related([("a", "x", None, [], [], DAY), ("a", "y", None, [], [], DAY)])


def test_accepts_datetimes_day_numbers_and_no_date():
    docs = [
        ("a", SUBJECTS["so-hoa-xa"], None, [], [], datetime(2022, 1, 1, 9, 30)),
        ("b", SUBJECTS["so-hoa-huyen"], None, [], [], 738000),
        ("c", SUBJECTS["tap-huan"], None, [], [], None),
    ]
    assert rank_related(docs, 2)["a"] == ["b"]


# --- Cost, counted in operations (timings belong to `invoke bench`) -----------------------------

SYLLABLES = (
    "cai cach hanh chinh thu tuc ho so truc tuyen mot cua so hoa dich vu cong chi so hai long can bo cong chuc "
    "vien chuc tinh gian bien che sap xep don vi xa phuong huyen kiem tra ky luat ky cuong tai chinh tu chu hoa "
    "don dien tu chu ky du lieu dan cu dinh danh xac thuc ke hoach nghi dinh quyet dinh cong van bao cao thong ke"
).split()


def generated_archive(count: int, seed: int = 1) -> list[tuple]:
    """Texts of Zipf-distributed syllables, each article leaning to one of 40 subjects."""
    rng = random.Random(seed)
    vocabulary = SYLLABLES + [f"t{i}" for i in range(3000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    subjects = [rng.sample(vocabulary[60:], 25) for _ in range(40)]
    docs = []
    for i in range(count):
        subject = subjects[rng.randrange(40)]
        words = rng.choices(vocabulary, weights, k=120) + rng.choices(subject, k=40)
        rng.shuffle(words)
        docs.append((f"bai-{i:05d}", " ".join(words), f"s{i % 7}", [f"t{i % 6}"], [f"k{rng.randrange(30)}"], 735000 + i))
    return docs


@pytest.mark.parametrize("size", [500, 1000, 2000])
def test_work_per_article_stays_bounded_as_the_archive_grows(size):
    weights = Weights(work_per_doc=150, min_postings=1)
    stats = Counter()
    related = rank_related(generated_archive(size), 5, weights=weights, stats=stats)
    assert len(related) == size
    # Postings visited: at most work_per_doc per article on average, whatever the size; an
    # all-pairs comparison would need size * (size - 1).
    assert stats["postings_visited"] <= weights.work_per_doc * size
    assert stats["candidates"] <= stats["postings_visited"]


def test_default_weights_bound_the_work_at_any_size():
    weights = Weights()
    for size in (1000, 4000):
        stats = Counter()
        rank_related(generated_archive(size, seed=3), 5, stats=stats)
        assert stats["postings_visited"] <= weights.work_per_doc * size
    # At 4,000 articles that is a small fraction of what comparing every pair would cost.
    assert stats["postings_visited"] < size * (size - 1) / 5


# --- The lists beside the ranking ----------------------------------------------------------------


def test_page_lists_repeat_no_article():
    newest = [("n1", "a"), ("n2", "b"), ("n3", "a"), ("n4", "a"), ("n5", "b"), ("n6", "a")]
    lists = page_lists(newest, [("n3", "a"), ("draft", "a")], {"n3": ["n1"], "draft": ["n4"]}, 2, 2)
    assert lists["n3"] == (["n4", "n6"], ["n2", "n5"])
    assert lists["draft"] == (["n1", "n3"], ["n2", "n5"])


def test_plain_text_strips_markup_quickly_and_keeps_words():
    html = '<p>Công văn <a href="/x/">số 2410/UBND-KSTT</a> &amp; kế hoạch</p>\n<script>var x = "<p>";</script><table><tr><td>Cấp xã</td></tr></table><!-- ghi chú -->'
    text = plain_text(html)
    assert vntext.syllables(text) == ["cong", "van", "so", "2410", "ubnd", "kstt", "ke", "hoach", "cap", "xa"]
    assert plain_text("") == ""


# --- The built sample site -----------------------------------------------------------------------


def listed(soup, selector):
    return [a["href"] for a in soup.select(f"{selector} li a")]


def test_article_pages_show_related_section_and_latest_lists_without_repeats(site, sample_articles):
    by_url = {a.url: a for a in sample_articles}
    for article in sample_articles:
        soup = site.soup(article.url)
        related = soup.select_one("article section.related")
        assert related is not None, article.url
        assert related.h2.get_text(strip=True) == "Tin liên quan"
        items = related.select("li")
        assert len(items) == 5, article.url
        for item in items:
            target = by_url[item.a["href"]]
            assert " ".join(item.get_text().split()) == f"{target.title} ({vntext.format_date(target.date)})"
        first, second, third = listed(soup, "section.related"), listed(soup, "section.section-latest"), listed(soup, "aside.aside")
        everything = first + second + third
        assert len(everything) == len(set(everything)), article.url
        assert article.url not in everything
        # "Tin cùng chuyên mục": the section's newest, after what "Tin liên quan" already shows.
        same = [a.url for a in sample_articles if a.section == article.section and a.url != article.url and a.url not in first]
        assert second == same[:5], article.url
        if second:
            assert soup.select_one("section.section-latest h2").get_text(strip=True) == "Tin cùng chuyên mục"


def test_related_lists_follow_the_labelled_set(site):
    """Precision@5 against tests/related_labels.yaml, labelled by reading the articles."""
    assert len(LABELS) >= 10
    precisions = []
    for slug, entry in LABELS.items():
        pages = list(site.output.glob(f"*/*/{slug}/index.html"))
        assert pages, f"labelled article {slug} is not in the site"
        shown = [href.rstrip("/").rsplit("/", 1)[-1] for href in listed(site.soup("/" + str(pages[0].relative_to(site.output))), "section.related")]
        for other in entry["related"]:
            assert list(site.output.glob(f"*/*/{other}/index.html")), f"{slug}: labelled {other} is not in the site"
        precisions.append(len(set(shown[:5]) & set(entry["related"])) / 5)
    precision = sum(precisions) / len(precisions)
    print(f"precision@5 over {len(precisions)} labelled articles: {precision:.3f}")
    assert precision >= 0.6


# --- Editors' pins and exclusions, in a real build -----------------------------------------------


def article_file(content, slug):
    return next(p for p in (content / "articles").rglob("*.md") if re.search(rf"^Slug: {re.escape(slug)}$", p.read_text(encoding="utf-8"), re.M))


def add_front_matter(path, line):
    """Insert a front-matter line after the title; returns its line number (2)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 2


def slug_of(url):
    return url.rstrip("/").rsplit("/", 1)[-1]


PINNED_ARTICLE = "par-index-2023-binh-an-lan-dau-vao-nhom-10-dia-phuong-dan-dau"
PINS = ["tu-ngay-1-7-2022-doanh-nghiep-ho-kinh-doanh-bat-buoc-su-dung-hoa-don-dien-tu", "kien-toan-ban-chi-dao-cai-cach-hanh-chinh-tinh-binh-an"]


def test_editors_pin_and_exclude_and_drafts_stay_out(site, content_copy, tmp_path):
    from bs4 import BeautifulSoup

    page = next(site.output.glob(f"*/*/{PINNED_ARTICLE}/index.html"))
    default = [slug_of(u) for u in listed(site.soup(page.relative_to(site.output).as_posix()), "section.related")]
    unwanted = default[0]
    path = article_file(content_copy, PINNED_ARTICLE)
    original = path.read_text(encoding="utf-8")
    # A draft and a hidden article with the very same text: never listed anywhere.
    for status in ("draft", "hidden"):
        copy = original.replace(f"Slug: {PINNED_ARTICLE}", f"Slug: ban-sao-{status}")
        copy = re.sub(r"^(Title: .*)$", rf"\1 (bản {status})\nStatus: {status}", copy, count=1, flags=re.M)
        (path.parent / f"ban-sao-{status}.md").write_text(copy, encoding="utf-8")
    add_front_matter(path, f"RelatedExclude: {unwanted}")
    add_front_matter(path, f"Related: {', '.join(PINS)}")
    output = tmp_path / "out"
    result = run_pelican(content_copy, output)
    assert result.returncode == 0, result.stdout + result.stderr

    soup = BeautifulSoup(next(output.glob(f"*/*/{PINNED_ARTICLE}/index.html")).read_text(encoding="utf-8"), "html.parser")
    shown = [slug_of(u) for u in listed(soup, "section.related")]
    assert shown[:2] == PINS
    assert len(shown) == 5 and unwanted not in shown
    everywhere = set()
    for html in output.rglob("index.html"):
        found = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        everywhere.update(slug_of(u) for u in listed(found, "section.related") + listed(found, "section.section-latest") + listed(found, "aside.aside"))
    assert not {"ban-sao-draft", "ban-sao-hidden"} & everywhere
    draft_page = BeautifulSoup((output / "ban-nhap" / "ban-sao-draft" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(listed(draft_page, "section.related")) == 5


def test_unknown_slugs_stop_the_build_with_file_and_line(content_copy, tmp_path):
    first = article_file(content_copy, PINNED_ARTICLE)
    line = add_front_matter(first, "Related: khong-co-bai-nay, " + PINS[0])
    second = article_file(content_copy, PINS[1])
    add_front_matter(second, f"RelatedExclude: {PINS[1]}, cung-khong-co")
    output = tmp_path / "out"
    result = run_pelican(content_copy, output)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f'{first}:{line}: Related: no article has the slug "khong-co-bai-nay"' in log, log
    assert f'{second}:2: RelatedExclude: "{PINS[1]}" is this article itself' in log, log
    assert f'{second}:2: RelatedExclude: no article has the slug "cung-khong-co"' in log, log
    assert "Build stopped: 3 content error(s)" in log
    assert not output.exists() or not list(output.rglob("*.html")), "a failed build must not write pages"


def test_pinning_a_draft_is_an_error(content_copy, tmp_path):
    path = article_file(content_copy, PINS[0])
    draft = path.parent / "nhap.md"
    draft.write_text("Title: Bản nháp về hóa đơn điện tử\nStatus: draft\nDate: 2022-07-01 08:00\nSummary: Nháp.\n\nNội dung.\n", encoding="utf-8")
    line = add_front_matter(path, "Related: ban-nhap-ve-hoa-don-dien-tu")
    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f'{path}:{line}: Related: "ban-nhap-ve-hoa-don-dien-tu" is draft and is not listed on the site' in log, log
