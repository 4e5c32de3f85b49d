# One image for the API and the workers.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY core core
COPY ocr ocr
COPY metadata metadata
COPY archive archive
COPY ingest ingest
COPY retention retention
COPY api api
COPY sohoa sohoa
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 sohoa \
 && mkdir -p /data && chown sohoa /data
USER sohoa
ENV SOHOA_DATA_DIR=/data
EXPOSE 8000
CMD ["sohoa", "serve", "--host", "0.0.0.0", "--port", "8000"]
