"""Static files storage for production: whitenoise's compressed manifest, forgiving a missing entry."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """A name missing from the manifest (static files collected with other settings, or a file added since) is served
    under its plain name rather than raising on every page, the error pages included."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        clean = self.clean_name(urlsplit(unquote(name)).path.strip())
        if self.hashed_files.get(self.hash_key(clean)) is None:
            return name
        return super().stored_name(name)
