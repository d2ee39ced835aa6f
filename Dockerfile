# Production image: gunicorn (web), Celery worker and beat all run from it (docker-compose.yml).

# Build stage: the dependencies into a virtualenv. python-ldap (django-auth-ldap, directory
# sign-in) has no wheel on PyPI and compiles against OpenLDAP's and SASL's headers; the compiler
# and headers stay in this stage.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libldap2-dev libsasl2-dev \
 && rm -rf /var/lib/apt/lists/* \
 && python -m venv /opt/venv
WORKDIR /build
# Dependencies only (the project installs no packages of its own: see pyproject.toml), so code
# changes do not reinstall them.
COPY pyproject.toml ./
RUN /opt/venv/bin/pip install --no-compile .

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH \
    ZI_VAR_DIR=/var/lib/zi-portal ZI_STATIC_ROOT=/app/staticfiles

# Pango and fonts for WeasyPrint (PDF reports); gettext for compilemessages; OpenLDAP's and
# SASL's run-time libraries for python-ldap; postgresql-client (pg_dump/pg_restore 15, as the
# postgres:15 service) for `manage.py backup` and `restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core gettext libldap-2.5-0 libsasl2-2 postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /app zi

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY . .
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only ZI_STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput \
 && DJANGO_DEBUG=1 python manage.py compilemessages --ignore='.venv/*' \
 && mkdir -p /var/lib/zi-portal && chown -R zi /var/lib/zi-portal

USER zi
EXPOSE 8000
# Timeouts and request limits: gunicorn.conf.py. Inside the container it binds all interfaces;
# compose publishes the port on the host's loopback only.
CMD ["gunicorn", "zi_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
