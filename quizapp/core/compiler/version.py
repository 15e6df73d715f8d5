"""The compiler's version and the fingerprint of a content tree.

Bump `COMPILER_VERSION` when compiled output changes for the same sources; a
changed fingerprint forces a full rebuild, an equal one makes a rebuild a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

COMPILER_VERSION = "2"  # 2: questions carry their HTML


def content_fingerprint(source_hashes: Mapping[str, str]) -> str:
    """One hash over every (path, file hash) pair and the compiler version."""
    digest = hashlib.sha256(COMPILER_VERSION.encode())
    for path in sorted(source_hashes):
        digest.update(f"\0{path}\0{source_hashes[path]}".encode())
    return digest.hexdigest()[:32]
