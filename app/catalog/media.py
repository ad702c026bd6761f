"""Where course media is served; lessons are rendered with these URLs at sync time."""

from urllib.parse import quote

MEDIA_URL = "/courses/{slug}/v{number}/media/{path}"
# Only these types are served, and never as HTML, so a package cannot smuggle a page onto our origin.
ALLOWED_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def media_url(slug: str, number: int, path: str) -> str:
    return MEDIA_URL.format(slug=slug, number=number, path=quote(path))


def content_type_for(path: str) -> str:
    """A known media type, or a download that no browser will render."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return ALLOWED_TYPES.get(suffix, "application/octet-stream")
