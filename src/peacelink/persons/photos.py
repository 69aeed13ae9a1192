"""Person photos: a whole JPEG or PNG image of bounded size, stored without the metadata a camera adds.

Photos are stored in the database (one row, bytes) so they sync and back up with the record; the size cap
keeps a check's answer and the sync journal small. Only JPEG and PNG, recognised by their magic and then
decoded in full (a truncated file is refused). The pixel cap bounds the memory one decode takes: a 512 KiB
PNG of one colour can claim hundreds of megapixels (a "decompression bomb").

A phone's photo carries EXIF metadata: where it was taken (GPS), when, with which device. Served to every
agency that may see the record, that would tell where an informant or an officer stood; so a photo with
such metadata is stored re-encoded without it (turned upright first, as its EXIF orientation said), and one
without any is stored as sent, byte for byte.
"""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageOps, UnidentifiedImageError

from peacelink.errors import Invalid

__all__ = ["MAX_PHOTO_BYTES", "MAX_PHOTO_PIXELS", "PHOTO_TYPES", "checked_photo"]

MAX_PHOTO_BYTES = 512 * 1024
MAX_PHOTO_PIXELS = 4096 * 4096
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# What Pillow reads into ``Image.info`` from EXIF, XMP, IPTC/Photoshop blocks, comments and PNG text chunks.
# The colour profile (icc_profile) and the pixel density are kept: they change how the image looks.
_METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "photoshop", "comment", "Comment", "Description", "tEXt")
# JPEG quality of a re-encoded photo: visually lossless for an identification photo.
_JPEG_QUALITY = 95
_UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    struct.error,  # a chunk or marker field cut short, on some Pillow code paths
    Image.DecompressionBombWarning,
    Image.DecompressionBombError,
)


def _check(data: bytes, content_type: str) -> str:
    """The photo's content type if ``data`` is a whole, decodable JPEG or PNG of the type sent, else Invalid.

    The magic bytes only name the format; a file cut short keeps them. So the image is decoded in full:
    Pillow's ``verify`` walks a PNG's chunks to IEND (a PNG without it is truncated) and ``load`` decodes the
    pixels (a JPEG cut before its end-of-image marker, or a broken data stream, fails there).
    """
    if not data:
        raise Invalid("the photo is empty", field="body")
    if len(data) > MAX_PHOTO_BYTES:
        raise Invalid(f"a photo has at most {MAX_PHOTO_BYTES} bytes", field="body")
    detected = next((kind for magic, kind in PHOTO_TYPES.items() if data.startswith(magic)), None)
    if detected is None or content_type.split(";")[0].strip().lower() != detected:
        raise Invalid("the photo must be JPEG or PNG, sent with its content type", field="content-type")
    formats = [_PILLOW_FORMATS[detected]]
    try:
        # The size comes from the header; it is checked before any pixel is decoded. (No warnings filter:
        # that is process-wide state and this runs in a thread pool. Pillow's own bomb limit is far above
        # ours: its warning only fires for sizes refused here anyway, its error arrives as an exception.)
        with Image.open(io.BytesIO(data), formats=formats) as image:
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise Invalid(
                    f"the photo is {width}x{height}; a photo has at most {MAX_PHOTO_PIXELS} pixels",
                    field="body",
                )
            image.verify()
        with Image.open(io.BytesIO(data), formats=formats) as image:
            image.load()
    except _UNREADABLE as error:
        raise Invalid(f"the photo is not a complete, readable {formats[0]} image", field="body") from error
    return detected


def _without_metadata(data: bytes, detected: str) -> bytes | None:
    """The photo re-encoded without its metadata and turned upright, or None when it holds none."""
    fmt = _PILLOW_FORMATS[detected]
    with Image.open(io.BytesIO(data), formats=[fmt]) as image:
        if not any(key in image.info for key in _METADATA) and not image.getexif():
            return None
        kept: dict[str, object] = {
            key: image.info[key] for key in ("icc_profile", "dpi") if key in image.info
        }
        upright = ImageOps.exif_transpose(image)
        upright.info = {}  # what save() would otherwise carry over (a JPEG comment)
        options: dict[str, object] = {**kept, "quality": _JPEG_QUALITY} if fmt == "JPEG" else kept
        out = io.BytesIO()
        upright.save(out, format=fmt, **options)
    return out.getvalue()


def checked_photo(data: bytes, content_type: str) -> tuple[str, bytes, bool]:
    """(content type, the bytes to store, whether metadata was removed) of a photo, or Invalid."""
    detected = _check(data, content_type)
    try:
        cleaned = _without_metadata(data, detected)
    except _UNREADABLE as error:
        unreadable = f"the photo is not a complete, readable {_PILLOW_FORMATS[detected]} image"
        raise Invalid(unreadable, field="body") from error
    if cleaned is None:
        return detected, data, False
    if len(cleaned) > MAX_PHOTO_BYTES:
        raise Invalid(
            f"the photo without its metadata is {len(cleaned)} bytes; a photo has at most {MAX_PHOTO_BYTES}",
            field="body",
        )
    return detected, cleaned, True
