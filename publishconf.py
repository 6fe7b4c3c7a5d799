"""Production settings: imports pelicanconf.py and overrides what differs on the public site."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

# The public address; a province sets PORTAL_SITEURL in its CI instead of editing this file.
SITEURL = (os.environ.get("PORTAL_SITEURL") or "https://cchc.binhan.gov.vn").rstrip("/")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Drafts and hidden articles and pages are left out of the public site: no page, feed entry, sitemap
# line, search record, tag or section count, or link (plugins/sections/unpublished.py). The empty
# addresses make sure no draft page is written even if a plugin list were changed.
SHOW_DRAFTS = False
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
