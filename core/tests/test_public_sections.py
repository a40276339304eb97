"""A citizen on any public page can reach the other public sections: results, penalties, recalls, blacklist."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTIONS = {
    "public:index": "抽查结果",
    "public_enforcement:penalty_list": "行政处罚",
    "recalls_public:search": "缺陷产品召回",
    "credit_public:blacklist": "严重违法失信名单",
}


@pytest.mark.parametrize("page", list(SECTIONS))
def test_every_public_page_links_every_section_and_marks_its_own(client, page):
    html = client.get(reverse(page)).content.decode()
    bar = re.search(r'<nav class="public-sections".*?</nav>', html, re.S).group(0)
    for url_name, label in SECTIONS.items():
        assert f'href="{reverse(url_name)}"' in bar and label in bar
    current = re.findall(r'<a href="([^"]+)" class="current"', bar)
    assert current == [reverse(page)]


def test_the_sections_read_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("recalls_public:search")).content.decode()
    assert "Spot-check results" in html and "Administrative penalties" in html and "Defective product recalls" in html
