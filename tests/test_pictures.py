"""Responsive pictures: WebP and JPEG copies made once with Pillow, sizes set, lazy below the fold."""

from __future__ import annotations

import os

from bs4 import BeautifulSoup
from PIL import Image

from media.pictures import Variant, enhance_body_pictures, ensure_variants, responsive, widths_for


def make_picture(folder, relative, size=(1000, 500)):
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (180, 40, 40)).save(path, quality=80)
    return relative


def test_widths_never_upscale():
    assert widths_for(1000, [480, 800, 1200]) == [480, 800, 1000]
    assert widths_for(300, [480, 800]) == [300]


def test_responsive_names_and_srcsets():
    variants, srcsets = responsive("images/2024/a.jpg", 1000, [480, 800, 1200], "")
    assert {v.target for v in variants} == {f"images/_sizes/2024/a-{w}.{f}" for w in (480, 800, 1000) for f in ("jpg", "webp")}
    assert srcsets["webp"] == "/images/_sizes/2024/a-480.webp 480w, /images/_sizes/2024/a-800.webp 800w, /images/_sizes/2024/a-1000.webp 1000w"


def test_copies_are_made_once_then_taken_from_the_cache(tmp_path):
    content, cache, out = tmp_path / "content", tmp_path / "cache", tmp_path / "out"
    source = make_picture(content, "images/2024/a.jpg")
    variants, _ = responsive(source, 1000, [480, 800], "")
    assert ensure_variants(variants, str(content), str(cache), str(out)) == (6, 0)
    with Image.open(out / "images/_sizes/2024/a-480.webp") as small:
        assert small.format == "WEBP" and small.size == (480, 240)
    with Image.open(out / "images/_sizes/2024/a-800.jpg") as medium:
        assert medium.format == "JPEG" and medium.size == (800, 400)
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    # A second build (fresh output) resizes nothing and leaves the cache as it was.
    assert ensure_variants(variants, str(content), str(cache), str(tmp_path / "out2")) == (0, 6)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps
    assert (tmp_path / "out2/images/_sizes/2024/a-480.webp").is_file()
    # Replacing the picture makes new copies.
    make_picture(content, "images/2024/a.jpg", size=(900, 600))
    os.utime(content / source, ns=(1, 1))
    assert ensure_variants(responsive(source, 900, [480, 800], "")[0], str(content), str(cache), str(out))[0] == 6


def test_body_pictures_get_size_lazy_loading_and_sources(tmp_path):
    html = '<p><img alt="Hội trường" src="/images/2024/a.jpg"></p><p><img alt="x" src="https://example.org/b.png"></p>'
    html, variants = enhance_body_pictures(html, str(tmp_path), [480, 800], "", lambda relative: (1000, 500))
    soup = BeautifulSoup(html, "html.parser")
    local, remote = soup.find_all("img")
    assert local.parent.name == "picture" and local.parent.source["type"] == "image/webp"
    assert (local["width"], local["height"], local["loading"], local["decoding"]) == ("1000", "500", "lazy", "async")
    assert local["src"] == "/images/2024/a.jpg" and "a-480.jpg 480w" in local["srcset"]
    assert remote["loading"] == "lazy" and "srcset" not in remote.attrs and remote.parent.name == "p"
    assert Variant("images/2024/a.jpg", 480, "webp") in variants


def test_built_pages_use_responsive_pictures(site, sample_articles):
    with_picture = [a for a in sample_articles if a.image]
    for article in with_picture:
        soup = site.soup(article.url)
        figure = soup.select_one("figure.lead-figure picture")
        webp = figure.find("source", type="image/webp")
        img = figure.img
        assert "loading" not in img.attrs, "the lead picture is above the fold: never lazy"
        for srcset in (webp["srcset"], img["srcset"]):
            for candidate in srcset.split(", "):
                url, width = candidate.split()
                assert site.exists(url), url
                with Image.open(site.path(url)) as copy:
                    assert f"{copy.width}w" == width
        assert site.exists(img["src"]), "the original is published too"
    # Below the fold: teaser pictures on lists and pictures inside article bodies load lazily.
    for img in site.soup("/tin-tuc-su-kien/").select(".teaser-image img"):
        assert img["loading"] == "lazy" and img["width"] and img["height"]
    gallery = next(a for a in sample_articles if a.section == "hinh-anh")
    body_images = site.soup(gallery.url).select(".body img")
    assert body_images
    for img in body_images:
        assert img["loading"] == "lazy" and int(img["width"]) > 0 and int(img["height"]) > 0
        assert img.parent.name == "picture"
