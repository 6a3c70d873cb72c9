"""The learner's code as a setting: its size limit, and how a link carries it (compressed).

The Code panel's text is kept with the other settings (key ``code``): in the autosave and in
an exported file as it is, and in a link compressed as ``$z`` + base64url(zlib(text)), which
no Python source starts with (``$`` is not Python). A link or file only ever puts the text in
the editor: the page runs it only when the person viewing it presses "Use my code".
No browser imports: tested in CPython.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from core.i18n import decimal, t

MAX_CODE_CHARS = 20_000  # characters of code kept, typed, saved or linked
MAX_LINK_CODE = 6_000  # characters the compressed code may take in a link
PACKED = "$z"  # the prefix of compressed code in a link


def pack_code(text: str) -> str:
    """``text`` as a link carries it: "$z" + base64url of its zlib compression ("" stays "")."""
    if not text:
        return ""
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
    return PACKED + packed


def unpack_code(text: str) -> str | None:
    """The code a packed text holds; None if it is not packed code."""
    if not text.startswith(PACKED) or any(char.isspace() for char in text.strip()):
        return None  # packed code is one word: text with spaces or lines is typed code
    data = text[len(PACKED) :].strip()
    try:
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        unpacked = zlib.decompressobj()
        code = unpacked.decompress(raw, MAX_CODE_CHARS * 4 + 1)  # never inflate a bomb
        if unpacked.unconsumed_tail or not unpacked.eof:
            raise ValueError("too long")
        return code.decode()
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise ValueError(t("codetext.damaged")) from None


def parse_code(text: str) -> str:
    """The learner's code: plain text (as saved) or packed (as in a link), at most
    MAX_CODE_CHARS characters; "" means none (the library's code)."""
    code = unpack_code(text)
    if code is None:
        code = text
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in code:
        raise ValueError(t("codetext.nul"))
    if len(code) > MAX_CODE_CHARS:
        raise ValueError(
            t("codetext.too_long", length=thousands(len(code)), most=thousands(MAX_CODE_CHARS))
        )
    return code if code.strip() else ""


def thousands(count: int) -> str:
    """A count with its thousands marked the language's way: 20,000 (English), 20.000."""
    return f"{count:,}".replace(",", "." if decimal() == "," else ",")


def code_fits_a_link(text: str) -> bool:
    """Whether the packed code is short enough for a link (MAX_LINK_CODE characters)."""
    return len(pack_code(text)) <= MAX_LINK_CODE
