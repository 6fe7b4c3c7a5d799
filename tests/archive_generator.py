"""A deterministic generator of realistic Vietnamese reform-news archives, for benchmarks and scale tests.

`generate(folder, count)` writes a complete content folder (site data, pages, pictures, and `count`
articles over every section, every topic and the twelve years 2014-2025) into `folder`, never into
the project. Bodies are 300 to 1,200 words drawn from phrase banks whose words follow the mix of
reform news: many function words and a long tail of domain terms, agency and place names, numbers
in Vietnamese format and document numbers (2410/UBND-KSTT, 107/2020/NĐ-CP, 39-NQ/TW).

Command line: python tests/archive_generator.py FOLDER COUNT
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

import vntext  # noqa: E402

SECTIONS = {  # leaf and parent sections with a share of the archive
    "tin-tuc-su-kien": 34,
    "kiem-tra-cchc": 10,
    "chi-so-cchc": 6,
    "van-ban-chi-dao": 16,
    "thong-tin-cai-cach": 18,
    "bao-cao-thong-ke": 10,
    "hinh-anh": 6,
}
TOPICS = ["cai-cach-the-che", "cai-cach-tthc", "to-chuc-bo-may", "cong-chuc-cong-vu", "tai-chinh-cong", "chinh-quyen-so"]
YEARS = range(2014, 2026)

AGENCIES = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Thông tin và Truyền thông",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải",
    "Văn phòng UBND tỉnh",
    "Trung tâm Phục vụ hành chính công",
    "Ban Quản lý các khu công nghiệp",
    "Công an tỉnh",
]
PLACES = [
    "thành phố Bình An",
    "thị xã Phú Lợi",
    "huyện Tân Thành",
    "huyện Long Điền",
    "huyện Hòa Sơn",
    "huyện Xuân Lộc",
    "huyện An Phú",
    "huyện Thạnh Mỹ",
    "huyện Đồng Xoài",
    "huyện Vĩnh Hưng",
    "huyện Cát Tiên",
    "xã Tân Hòa",
    "xã Long An",
    "phường Phú Cường",
    "xã Bình Thủy",
    "xã Hòa Khánh",
]
DOCUMENTS = [
    "Kế hoạch số 1275/KH-UBND",
    "Công văn số 2410/UBND-KSTT",
    "Quyết định số 3765/QĐ-UBND",
    "Chỉ thị số 03/CT-UBND",
    "Nghị định số 107/2020/NĐ-CP",
    "Nghị định số 61/2018/NĐ-CP",
    "Nghị quyết số 39-NQ/TW",
    "Nghị quyết số 76/NQ-CP",
    "Nghị định số 45/2020/NĐ-CP",
    "Kế hoạch số 125/KH-UBND",
    "Quyết định số 06/QĐ-TTg",
    "Thông tư số 01/2023/TT-VPCP",
]
HEAD_VERBS = [
    "Triển khai",
    "Đẩy mạnh",
    "Tăng cường",
    "Nâng cao hiệu quả",
    "Kiểm tra",
    "Đánh giá",
    "Sơ kết",
    "Tổng kết",
    "Hướng dẫn",
    "Rà soát",
    "Công bố",
    "Tập huấn",
    "Hội nghị về",
    "Khảo sát",
    "Đôn đốc",
]
HEAD_OBJECTS = [
    "công tác cải cách hành chính",
    "cải cách thủ tục hành chính",
    "dịch vụ công trực tuyến",
    "cơ chế một cửa, một cửa liên thông",
    "chỉ số PAR INDEX",
    "chỉ số SIPAS",
    "số hóa hồ sơ, kết quả giải quyết TTHC",
    "chuyển đổi số",
    "tinh giản biên chế",
    "sắp xếp tổ chức bộ máy",
    "kỷ luật, kỷ cương hành chính",
    "tự chủ tài chính đơn vị sự nghiệp",
    "hóa đơn điện tử",
    "chính quyền điện tử",
    "văn hóa công vụ",
    "thanh toán trực tuyến",
    "vị trí việc làm",
    "Đề án 06",
]
SUBJECTS = [
    "UBND tỉnh",
    "Ủy ban nhân dân tỉnh",
    "Uỷ ban nhân dân huyện",
    "Sở Nội vụ",
    "Ban Chỉ đạo cải cách hành chính tỉnh",
    "các sở, ban, ngành",
    "đoàn kiểm tra",
    "cán bộ, công chức, viên chức",
    "CBCCVC",
    "người dân và doanh nghiệp",
    "Trung tâm Phục vụ hành chính công",
    "bộ phận một cửa cấp xã",
    "lãnh đạo các địa phương",
    "HĐND tỉnh",
]
VERBS = [
    "đã triển khai",
    "tiếp tục thực hiện",
    "tổ chức",
    "chỉ đạo",
    "yêu cầu",
    "đề nghị",
    "kiểm tra",
    "đánh giá cao",
    "ghi nhận",
    "hoàn thành",
    "phối hợp",
    "rà soát",
    "cập nhật",
    "công khai",
    "hướng dẫn",
    "theo dõi",
    "đôn đốc",
]
OBJECTS = [
    "việc giải quyết hồ sơ đúng hạn",
    "kết quả cải cách thủ tục hành chính",
    "các thủ tục hành chính mới ban hành",
    "quy trình nội bộ giải quyết TTHC",
    "hồ sơ trực tuyến toàn trình",
    "dịch vụ công trực tuyến một phần",
    "tỷ lệ hài lòng của người dân",
    "kết quả chấm điểm chỉ số cải cách hành chính",
    "việc số hóa kết quả giải quyết",
    "chữ ký số cho cán bộ",
    "hệ thống thông tin giải quyết thủ tục hành chính",
    "kế hoạch kiểm tra công vụ",
    "việc thu phí, lệ phí qua thanh toán trực tuyến",
    "biên chế công chức và số lượng người làm việc",
    "đề án vị trí việc làm",
    "cơ chế tự chủ tài chính",
    "phần mềm quản lý văn bản và điều hành",
    "dữ liệu dân cư phục vụ giải quyết thủ tục",
    "phản ánh, kiến nghị của người dân",
    "trang thông tin điện tử",
]
COMPLEMENTS = [
    "theo đúng quy định",
    "trong thời gian tới",
    "một cách thực chất",
    "bảo đảm công khai, minh bạch",
    "ngay trong quý I",
    "trước ngày 30 tháng 6",
    "đến hết năm",
    "tại bộ phận tiếp nhận và trả kết quả",
    "trên Cổng Dịch vụ công quốc gia",
    "với sự tham gia của người dân",
    "theo chỉ đạo của tỉnh",
    "đạt và vượt kế hoạch",
    "ở cả ba cấp tỉnh, huyện, xã",
    "nhằm giảm thời gian đi lại cho người dân",
    "góp phần nâng cao chỉ số cạnh tranh",
    "và báo cáo kết quả về Sở Nội vụ",
]
CONNECTORS = ["Bên cạnh đó,", "Đồng thời,", "Theo báo cáo,", "Qua kiểm tra,", "Cũng trong năm,", "Tuy nhiên,", "Ngoài ra,", "Cụ thể,", "Trong đó,", ""]
NUMBER_PHRASES = [
    "đã tiếp nhận {n} hồ sơ, giải quyết đúng hạn đạt {p}",
    "có {n} thủ tục hành chính được cung cấp trực tuyến, chiếm {p}",
    "tỷ lệ số hóa hồ sơ đạt {p} với {n} hồ sơ",
    "rà soát {n} văn bản, đề nghị sửa đổi {m} văn bản",
    "cắt giảm {m} thủ tục và đơn giản hóa {n} thủ tục",
]
AUTHORS = ["Minh Anh", "Thu Hà", "Quốc Bảo", "Phòng CCHC, Sở Nội vụ", "Hoàng Lan", "Văn Tùng", "Ngọc Diệp", ""]
TAGS = [
    "một cửa",
    "dịch vụ công trực tuyến",
    "PAR INDEX",
    "SIPAS",
    "kiểm tra công vụ",
    "số hóa",
    "chuyển đổi số",
    "tinh giản biên chế",
    "hóa đơn điện tử",
    "khen thưởng",
    "Đề án 06",
    "văn hóa công vụ",
    "thủ tục hành chính",
]


def _weighted(rng: random.Random, items: list[str], skew: float = 1.1) -> str:
    """Zipf-like choice: the first items are the common ones, as in real text."""
    index = min(int(rng.paretovariate(skew)) - 1, len(items) - 1)
    return items[index] if rng.random() < 0.7 else rng.choice(items)


def _sentence(rng: random.Random, year: int) -> str:
    roll = rng.random()
    if roll < 0.15:
        phrase = rng.choice(NUMBER_PHRASES).format(
            n=vntext.format_number(rng.randint(120, 48000)), m=rng.randint(3, 90), p=vntext.format_percent(rng.uniform(70, 100))
        )
        return f"Năm {year}, {rng.choice(PLACES)} {phrase}."
    if roll < 0.25:
        return f"Thực hiện {rng.choice(DOCUMENTS)}, {_weighted(rng, SUBJECTS)} {_weighted(rng, VERBS)} {_weighted(rng, OBJECTS)} {_weighted(rng, COMPLEMENTS)}."
    connector = rng.choice(CONNECTORS)
    text = f"{_weighted(rng, SUBJECTS)} {_weighted(rng, VERBS)} {_weighted(rng, OBJECTS)} tại {rng.choice(AGENCIES + PLACES)} {_weighted(rng, COMPLEMENTS)}"
    if connector:
        text = f"{connector} {text}"
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, year: int, words: int) -> str:
    paragraphs, current, count = [], [], 0
    while count < words:
        sentence = _sentence(rng, year)
        current.append(sentence)
        count += len(sentence.split())
        if len(current) >= rng.randint(3, 6):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    if len(paragraphs) > 3 and rng.random() < 0.3:
        paragraphs.insert(2, "## " + rng.choice(HEAD_OBJECTS).capitalize())
    return "\n\n".join(paragraphs)


def _pictures(folder: Path, rng: random.Random, count: int = 12) -> list[str]:
    from PIL import Image, ImageDraw

    target = folder / "images" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(count):
        picture = Image.new("RGB", (1200, 675), (rng.randint(150, 230), rng.randint(150, 230), rng.randint(150, 230)))
        draw = ImageDraw.Draw(picture)
        for _ in range(6):
            x, y = rng.randint(0, 1000), rng.randint(0, 500)
            draw.rectangle([x, y, x + rng.randint(80, 300), y + rng.randint(60, 200)], fill=(rng.randint(60, 200), 40, 40))
        name = f"images/bench/anh-{i:02d}.jpg"
        picture.save(folder / name, quality=60)
        names.append(name)
    return names


def generate(folder: Path, count: int, seed: int = 2024) -> Path:
    """Write a content folder with `count` articles into `folder` (created); returns it."""
    rng = random.Random(seed)
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "data").mkdir(parents=True)
    for name in ("sections.yaml", "topics.yaml", "site.yaml", "links.yaml"):
        shutil.copy(ROOT / "content" / "data" / name, folder / "data" / name)
    shutil.copytree(ROOT / "content" / "pages", folder / "pages")
    for page in (folder / "pages").rglob("*.md"):
        # The sample pages link to sample articles, which the archive does not have: the build's
        # link check would refuse them. Keep the words, drop the links.
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\[([^\]]*)\]\((/\d{4}/\d{2}/[^)]*)\)", r"\1", text), encoding="utf-8")
    pictures = _pictures(folder, rng)
    sections = list(SECTIONS)
    weights = [SECTIONS[s] for s in sections]
    start = datetime(2014, 1, 2, 7, 30)
    span = (datetime(2025, 12, 30, 17, 0) - start).total_seconds()
    for i in range(count):
        # Dates spread evenly over the twelve years, jittered, so every month has articles.
        moment = start + timedelta(seconds=span * (i + rng.random()) / count)
        moment = moment.replace(hour=rng.randint(7, 17), minute=rng.choice([0, 15, 30, 45]), second=0)
        section = rng.choices(sections, weights)[0]
        title = f"{rng.choice(HEAD_VERBS)} {rng.choice(HEAD_OBJECTS)} tại {rng.choice(PLACES + AGENCIES)} năm {moment.year}"
        slug = f"{vntext.slugify(title)}-{i}"
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        tags = rng.sample(TAGS, rng.randint(1, 3))
        words = rng.randint(300, 1200)
        lines = [
            f"Title: {title}",
            f"Date: {moment:%Y-%m-%d %H:%M}",
            f"Category: {section}",
            f"Topics: {', '.join(topics)}",
            f"Tags: {', '.join(tags)}",
            f"Slug: {slug}",
            f"Summary: {_sentence(rng, moment.year)}",
        ]
        author = rng.choice(AUTHORS)
        if author:
            lines.append(f"Author: {author}")
        if section == "hinh-anh" or rng.random() < 0.15:
            lines += [f"Image: {rng.choice(pictures)}", "ImageAlt: Quang cảnh buổi làm việc", "ImageCaption: Quang cảnh buổi làm việc."]
        if rng.random() < 0.03:
            lines.append("Featured: yes")
        path = folder / "articles" / section / str(moment.year) / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n\n" + _body(rng, moment.year, words) + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
