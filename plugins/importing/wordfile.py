"""The Word front door: a .docx file -> HTML through mammoth -> the shared pipeline (body.build_draft).

mammoth reads the document's structure (styles, lists, tables, pictures with their alt text) rather
than its looks, which is what an article needs; the style map below says which of Word's styles are
the article's headings and captions, in the Vietnamese and English names Word gives them.
"""

from __future__ import annotations

import os
import zipfile

import mammoth
import mammoth.images

from .body import Draft, Note, build_draft

# Word's built-in styles (their English names are what the file stores, whatever the language of
# Word) and the names offices often give their own. The title of a press release is the Title style
# or the first heading; Heading 1 in the text is a section of it (h2 on the page).
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Tiêu đề'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='Heading 4'] => h5:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Chú thích'] => p.caption:fresh
p[style-name='List Paragraph'] => p:fresh
"""


class WordFileError(Exception):
    def __init__(self, note: Note):
        self.note = note
        super().__init__(note.key)


def read_docx(path: str) -> Draft:
    """The article in a Word file; raises WordFileError when the file is not one mammoth can read."""
    if not os.path.isfile(path):
        raise WordFileError(Note("import-no-such-file", {"path": path}, "error"))
    if not zipfile.is_zipfile(path):
        raise WordFileError(Note("import-not-docx", {"path": path}, "error"))
    pictures: dict[str, tuple[bytes, str]] = {}

    def picture(image) -> dict:
        extension = (mammoth.images.image_filename_extension(image) or "png").replace("jpeg", "jpg")
        with image.open() as stream:
            data = stream.read()
        key = f"word-picture-{len(pictures) + 1}"
        pictures[key] = (data, f"{_stem(path)}-{len(pictures) + 1}.{extension}")
        return {"src": key}

    try:
        with open(path, "rb") as handle:
            result = mammoth.convert_to_html(handle, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(picture))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError):
        raise WordFileError(Note("import-not-docx", {"path": path}, "error")) from None
    draft = build_draft(result.value, pictures.get, source=os.path.basename(path))
    draft.source_unique = False
    return draft


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]
