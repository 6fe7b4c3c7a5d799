"""Vietnamese dates as legacy portals and Word files print them (vntext.find_datetime, issues 16 and 18)."""

from __future__ import annotations

from datetime import datetime

import pytest

import vntext


@pytest.mark.parametrize(
    ("text", "moment", "has_time"),
    [
        ("Thứ 2, Ngày 20/03/2017, 16:00", datetime(2017, 3, 20, 16, 0), True),
        ("(Ngày đăng :28/10/2020 4:47:35 CH)", datetime(2020, 10, 28, 16, 47, 35), True),
        ("Cập nhật lúc 9:05:00 SA ngày 28/10/2020", datetime(2020, 10, 28, 9, 5), True),
        ("(Ngày đăng :01/02/2019 12:15:00 SA)", datetime(2019, 2, 1, 0, 15), True),  # 12 giờ sáng is midnight
        ("(Ngày đăng :01/02/2019 12:15:00 CH)", datetime(2019, 2, 1, 12, 15), True),  # 12 giờ chiều is noon
        ("Tue, 28/03/2017 09:00 | GMT +7", datetime(2017, 3, 28, 9, 0), True),
        ("Hà Nội, ngày 9 tháng 1 năm 2014", datetime(2014, 1, 9), False),
        ("TP. Hồ Chí Minh, Ngày 09 Tháng 01 Năm 2014", datetime(2014, 1, 9), False),
        ("21/12/2017", datetime(2017, 12, 21), False),
        ("21-12-2017", datetime(2017, 12, 21), False),
        ("21.12.2017", datetime(2017, 12, 21), False),
        ("16:00 20/03/2017", datetime(2017, 3, 20, 16, 0), True),
        ("ngày 28/10/2020 lúc 8g30", datetime(2020, 10, 28, 8, 30), True),
        ("Ngày 28/10/2020", datetime(2020, 10, 28), False),
    ],
)
def test_the_forms_portals_print(text, moment, has_time):
    found = vntext.find_datetime(text)
    assert found is not None and (found.moment, found.has_time) == (moment, has_time)


def test_nfd_text_is_read_too():
    import unicodedata

    found = vntext.find_datetime(unicodedata.normalize("NFD", "Hà Nội, ngày 9 tháng 1 năm 2014"))
    assert found is not None and found.moment == datetime(2014, 1, 9)


@pytest.mark.parametrize("text", ["31/02/2020", "12/31/2017", "Sáng 22/9, UBND tỉnh họp", "Quyết định 3765/QĐ-UBND", "tỷ lệ 35/63", "năm 2017"])
def test_what_is_no_date(text):
    assert vntext.find_datetime(text) is None


def test_the_span_covers_the_date_and_its_time():
    text = "Thứ 2, Ngày 20/03/2017, 16:00 - Sở Nội vụ"
    found = vntext.find_datetime(text)
    assert found is not None and text[found.start : found.end] == "20/03/2017, 16:00"


def test_a_later_number_is_not_taken_for_the_time():
    found = vntext.find_datetime("Ngày 20/03/2017, hội nghị có 350 đại biểu, kéo dài 2:30 giờ")
    assert found is not None and found.moment == datetime(2017, 3, 20) and not found.has_time
