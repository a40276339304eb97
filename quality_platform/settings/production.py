"""Production: refuses to start without a secret key and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY 环境变量（SECRET_KEY is required in production）。")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS 环境变量（ALLOWED_HOSTS is required in production）。")

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Behind the HTTPS proxy (it sets X-Forwarded-Proto): plain-HTTP requests are redirected, browsers are told to use
# HTTPS only (HSTS, one year). SECURE_SSL_REDIRECT=false only for a loopback benchmark without the proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Fingerprinted, compressed static files; a file missing from the manifest is served under its plain name instead of
# failing every page (and the error page) when static files were collected with other settings.
STORAGES["staticfiles"] = {"BACKEND": "core.staticfiles.ForgivingManifestStaticFilesStorage"}  # noqa: F405

# Uploaded files are served by core:protected_file after its permission check; with nginx in front set
# PROTECTED_FILES_SERVER=nginx and an internal location PROTECTED_FILES_INTERNAL_URL aliasing MEDIA_ROOT.
PROTECTED_FILES_SERVER = env("PROTECTED_FILES_SERVER", default="")
