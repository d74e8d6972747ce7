# Front end: GOV.UK Frontend and MoJ Frontend built from npm into static/dist.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
COPY static/src static/src
RUN npm run build

# The application: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=actionplan.settings.production
WORKDIR /app
# WeasyPrint (the board pack PDF) needs Pango and HarfBuzz's subsetter.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/static/dist static/dist
RUN DJANGO_SECRET_KEY=build-only EMAIL_URL=consolemail:// SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p var/beat && chown -R app:app var
USER app
EXPOSE 8000
# gunicorn.conf.py: WEB_CONCURRENCY workers (default 4), JSON log lines on stdout.
CMD ["gunicorn", "actionplan.wsgi:application", "-c", "gunicorn.conf.py"]
