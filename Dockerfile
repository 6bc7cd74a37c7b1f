FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 FLASK_APP=webapp:create_app
WORKDIR /app
# CPU-only torch first, so sentence-transformers doesn't pull the CUDA build.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY webapp webapp
COPY matching matching
COPY templates templates
COPY static static
COPY migrations migrations
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["gunicorn", "--workers", "2", "--bind", "0.0.0.0:8000", "webapp:create_app()"]
