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
