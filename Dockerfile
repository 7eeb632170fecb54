# mockcrm: the Zoho CRM v8 workflow-automation emulator, for CI (`docker run`) and sandboxes.
FROM python:3.11-slim

# Install into a virtualenv in a build stage-free way: wheels only, no compilers, no cache.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY mockcrm ./mockcrm
COPY seed_data ./seed_data
RUN python3 -m venv /opt/mockcrm \
 && /opt/mockcrm/bin/pip install --no-cache-dir --disable-pip-version-check . \
 && rm -rf /src /root/.cache \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin mockcrm
WORKDIR /

ENV PATH=/opt/mockcrm/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MOCKCRM_HOST=0.0.0.0 \
    MOCKCRM_PORT=8080 \
    MOCKCRM_ADMIN_TOKEN=auto
USER mockcrm
EXPOSE 8080

# The base image has no curl: the health check is Python. /__admin/health never needs the token.
HEALTHCHECK --interval=500ms --timeout=2s --start-period=15s --retries=3 \
  CMD ["python3", "-S", "-c", "import os,sys,urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:%s/__admin/health' % os.environ.get('MOCKCRM_PORT','8080'), timeout=1).status == 200 else 1)"]

# One process (granian serving in-process on one request thread), state in memory; every
# setting is a MOCKCRM_* variable.
ENTRYPOINT ["mockcrm", "serve"]
