FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 FLASK_APP=webapp:create_app
# pg_dump and pg_restore for `flask db backup` / `flask db restore`.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# CPU-only torch first, so sentence-transformers doesn't pull the CUDA build; it is the one
# package the lock file leaves out (its CPU wheels live on their own index).
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
# Everything else exactly as locked, each file checked against its hash (`make lock` refreshes it).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY webapp webapp
COPY matching matching
COPY templates templates
COPY static static
COPY migrations migrations
COPY gunicorn.conf.py ./
RUN pip install --no-cache-dir --no-deps .
# Run unprivileged; the index volume and the instance folder are the only places it writes.
RUN useradd --system --create-home tandem \
    && mkdir -p /app/instance /var/lib/tandem/index && chown -R tandem /app/instance /var/lib/tandem
USER tandem
EXPOSE 8000
# gunicorn.conf.py (read from /app): workers, threads, bind address, structured logs.
CMD ["gunicorn", "webapp:create_app()"]
