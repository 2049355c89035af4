"""Small presentation helpers shared by pages, the API and the CLI."""

from django.utils.translation import gettext


def mask_name(name: str) -> str:
    """A member's public name as Chinese document sites show it: first character, then ``**``."""
    name = (name or "").strip()
    if not name:
        return gettext("Anonymous")
    return name[0] + "**"


def human_size(num_bytes: int) -> str:
    """Sizes the way the seed page shows them: ``22.69KB``, ``1.50MB``."""
    if num_bytes < 1024:
        return f"{num_bytes}B"
    if num_bytes < 1024 * 1024:
        return f"{num_bytes / 1024:.2f}KB"
    if num_bytes < 1024**3:
        return f"{num_bytes / 1024 / 1024:.2f}MB"
    return f"{num_bytes / 1024**3:.2f}GB"
