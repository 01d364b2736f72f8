"""Feeds whose encoding nobody states, sniffed and turned into UTF-8 before parsing. Pure.

Chinese sites still serve GB2312, GBK, GB18030 or Big5 feeds, often with an XML declaration
that names no encoding (or none at all) and no charset in the HTTP header. XML then means
UTF-8, the bytes are not, and feedparser falls back to windows-1252: every title turns into
mojibake without any error. So a document that declares nothing, carries no byte-order
mark and is not valid UTF-8 is sniffed with chardet (already feedparser's detector) and
re-encoded as UTF-8. A document that declares its encoding is left as it is: the
declaration wins, as XML says it must.
"""

import codecs
import re

import chardet

# How much of a document the detector reads: the first items are enough to tell GBK from
# Big5 from Shift-JIS, and a 10 MB feed costs no more than a small one.
DETECT_BYTES = 64 * 1024

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECLARED = re.compile(rb"^\s*<\?xml[^>]{0,200}?\bencoding\s*=", re.IGNORECASE)
# Read with the superset the detected name stands for: GBK and GB2312 text may use GB18030
# characters, Big5 text the Windows (cp950) extensions.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}


def undeclared_to_utf8(content: bytes) -> tuple[bytes, str | None]:
    """``content`` as UTF-8 when it states no encoding and is not UTF-8, with the encoding
    it was read as (a guess, worth reporting); else ``content`` unchanged and None.

    Bytes that do not fit the detected encoding become U+FFFD (one bad byte must not cost
    the feed); a detector that finds nothing leaves the bytes to feedparser's own fallback.
    """
    if content.startswith(_BOMS) or _DECLARED.match(content):
        return content, None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return content, None
    name = str(chardet.detect(content[:DETECT_BYTES]).get("encoding") or "").lower()
    codec = _SUPERSETS.get(name, name)
    try:
        text = content.decode(codec, errors="replace") if codec else None
    except LookupError:  # a name Python has no codec for
        text = None
    return (content, None) if text is None else (text.encode("utf-8"), codec)
