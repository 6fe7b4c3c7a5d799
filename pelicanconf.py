"""Settings for a local build of the portal. publishconf.py imports this and overrides for production.

Who runs the portal (name, agency, address, licence) lives in content/data/site.yaml, the sections in
content/data/sections.yaml: editors change those, not this file.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "plugins"))

import vntext  # noqa: E402  (needs the plugins folder on the path)

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
SITEURL = ""
# Absolute address used where a full URL is required (sitemap, feeds, canonical links) when SITEURL
# is empty in a local build.
LOCAL_SITEURL = "http://localhost:8000"
SITENAME = "Cổng thông tin cải cách hành chính tỉnh Bình An"  # overridden by content/data/site.yaml
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
LOCALE = ("C.UTF-8",)

PLUGIN_PATHS = ["plugins"]
# Order matters where a plugin reads what an earlier one put in the settings: sitedata first; related
# after search (it ranks once the search worker has been told what to lay out); reuse last. Bodies are
# rewritten in this order too (plugins/bodies): sanitize, media, documents (links in the editor's text),
# tables (the portal's own markup, after them), then search reads the final body.
PLUGINS = [
    "sitedata",
    "markdownreader",
    "fragments",
    "strict",
    "sanitize",
    "vnslug",
    "sections",
    "archives",
    "media",
    "documents",
    "tables",
    "search",
    "related",
    "seo",
    "redirects",
    "reuse",
]

# Result tables (plugins/tables, docs/tables.md): one YAML file a table under content/data/tables/,
# each in the results section or a child of it; a page per table with its chart, CSV and JSON.
TABLES_DIR = "data/tables"  # under PATH
TABLES_ROOT_SECTION = "ket-qua-cchc"
TABLE_URL = "ket-qua-cchc/bang/{id}/"
TABLE_SAVE_AS = "ket-qua-cchc/bang/{id}/index.html"

# Directive documents (plugins/documents): one Markdown file a document under content/documents/, read by
# the plugin, not by Pelican (the folder is in neither ARTICLE_PATHS nor PAGE_PATHS). The registry is at
# /van-ban/, beside the section "van-ban-chi-dao" (its breadcrumb and section page lead there) rather than
# under it: /van-ban-chi-dao/ pages itself as /van-ban-chi-dao/trang-N/, and a document's address must
# not change when sections are renamed or moved, as an article's does not.
DOCUMENTS_DIR = "documents"  # under PATH
DOCUMENTS_SECTION = "van-ban-chi-dao"
DOCUMENTS_URL = "van-ban/"
DOCUMENTS_SAVE_AS = "van-ban/index.html"
DOCUMENT_URL = "van-ban/{slug}/"  # slug of the number: 2410-ubnd-kstt, 107-2020-nd-cp (always starts with a digit)
DOCUMENT_SAVE_AS = "van-ban/{slug}/index.html"
DOCUMENTS_FILTER_URL = "van-ban/{facet}/{value}/"  # facet: loai, co-quan, nam, linh-vuc
DOCUMENTS_FILTER_SAVE_AS = "van-ban/{facet}/{value}/index.html"

SITE_DATA_DIR = "data"  # under PATH
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "files"]
ARTICLE_EXCLUDES = []
PAGE_EXCLUDES = []
IGNORE_FILES = [".#*", "*~", "*.swp", "README.md"]
# The section is the folder under articles/; a Category line in the front matter must agree with it.
PATH_METADATA = r"articles/(?P<category>[^/]+)/.*"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = ""

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# Permanent addresses: an article's URL holds its date, never its section, so moving an article
# between sections does not break links people have saved.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
# Drafts and hidden content (Status: draft / hidden) are never public. A local build shows them to the
# editor, each page marked "Bản nháp – chưa đăng" and noindex: drafts under /ban-nhap/, hidden content
# at its own address. publishconf.py turns SHOW_DRAFTS off: they are left out of everything (plugins/sections).
SHOW_DRAFTS = True
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{slug}/index.html"
DRAFT_LANG_URL = "ban-nhap/{lang}/{slug}/"
DRAFT_LANG_SAVE_AS = "ban-nhap/{lang}/{slug}/index.html"
DRAFT_PAGE_URL = "ban-nhap/trang/{slug}/"
DRAFT_PAGE_SAVE_AS = "ban-nhap/trang/{slug}/index.html"
DRAFT_PAGE_LANG_URL = "ban-nhap/trang/{lang}/{slug}/"
DRAFT_PAGE_LANG_SAVE_AS = "ban-nhap/trang/{lang}/{slug}/index.html"

# Sections (categories) and topics get their pages from the sections plugin, with breadcrumbs and
# descendants' articles; Pelican's flat category pages are switched off.
CATEGORY_URL = ""
CATEGORY_SAVE_AS = ""
SECTION_URL = "{id}/"
SECTION_SAVE_AS = "{id}/index.html"
TOPIC_URL = "linh-vuc/{id}/"
TOPIC_SAVE_AS = "linh-vuc/{id}/index.html"
TOPICS_INDEX_URL = "linh-vuc/"
TOPICS_INDEX_SAVE_AS = "linh-vuc/index.html"
TAG_URL = "tu-khoa/{slug}/"
TAG_SAVE_AS = "tu-khoa/{slug}/index.html"
TAGS_URL = "tu-khoa/"
TAGS_SAVE_AS = "tu-khoa/index.html"
AUTHOR_URL = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
# Year and month pages come from the archives plugin (Pelican's own are quadratic in the article count).
ARCHIVE_YEAR_URL = "{date:%Y}/"
ARCHIVE_YEAR_SAVE_AS = "{date:%Y}/index.html"
ARCHIVE_MONTH_URL = "{date:%Y}/{date:%m}/"
ARCHIVE_MONTH_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
NEWEST_FIRST_ARCHIVES = True
DIRECT_TEMPLATES = ["index", "archives", "tags", "404", "search"]
# Old addresses of imported articles (./portal import-html), answered with 301 by deploy/nginx.conf
# from the map the redirects plugin writes, and by small redirect pages elsewhere.
REDIRECTS_FILE = "data/redirects.yaml"  # under PATH
REDIRECTS_MAP_SAVE_AS = "redirects.map"  # included by deploy/nginx.conf
# Site search (plugins/search): the page, and the abbreviations it expands both ways.
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = "tim-kiem/index.html"
SEARCH_ABBREVIATIONS = "data/abbreviations.yaml"  # under PATH

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"section": None, "topic": None, "tag": None}
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"), (2, "{base_name}/trang-{number}/", "{base_name}/trang-{number}/index.html"))

# Responsive copies of pictures (WebP and JPEG) at these widths, made once and kept in CACHE_PATH.
IMAGE_WIDTHS = [480, 800, 1200]
CACHE_PATH = "cache"
ATTACHMENT_MAX_MB = 20  # invoke check warns about larger attachments

HOME_FEATURED_COUNT = 4
HOME_LATEST_COUNT = 8
HOME_SECTION_COUNT = 4
LATEST_COUNT = 5  # "Tin mới nhất" beside an article
# Under an article (related plugin): "Tin liên quan", then "Tin cùng chuyên mục"; no article is
# listed twice on one page. RELATED_WEIGHTS = {"section": 0.1, ...} tunes the ranker (related/ranking.py).
RELATED_COUNT = 5
SECTION_LATEST_COUNT = 5
RELATED_WEIGHTS = {}
SUMMARY_MAX_LENGTH = 60

FEED_DOMAIN = LOCAL_SITEURL  # publishconf.py sets the public address
FEED_ALL_ATOM = "feeds/all.atom.xml"
SECTION_FEED_ATOM = "feeds/{id}.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 30

# Rebuilds that take unchanged pages from the last good site (plugins/reuse); `invoke livereload` turns
# it on with the content cache. Publishing renders every page.
REUSE_UNCHANGED_PAGES = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
SLUGIFY_SOURCE = "title"
TYPOGRIFY = False

JINJA_FILTERS = {
    "vn_datetime": vntext.format_datetime,
    "vn_date": vntext.format_date,
    "vn_weekday": vntext.weekday_name,
    "vn_month": vntext.format_month,
    "vn_number": vntext.format_number,
    "vn_percent": vntext.format_percent,
}

# Markdown only: the reStructuredText reader is switched off (and with it a Docutils warning).
READERS = {"rst": None}
# Everything from front matter and data files is escaped in templates; rendered Markdown is marked
# |safe where it is meant to be HTML.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
