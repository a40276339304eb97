# Production image: the Django app served by gunicorn; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=quality_platform.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 gettext curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files and translations are built into the image; a throwaway key only for this build step.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput -v 0 \
 && SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build@localhost/build \
    python manage.py compilemessages -v 0

RUN useradd --system --create-home app && mkdir -p /app/.local/media && chown -R app /app/.local
USER app
EXPOSE 8000
CMD ["gunicorn", "quality_platform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "120"]
