# Backprop Lab: the API and the page on port 8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BACKPROP_HOST=0.0.0.0

RUN useradd --create-home --uid 10001 lab
WORKDIR /srv/backprop-lab

COPY pyproject.toml README.md ./
COPY nncore ./nncore
COPY app ./app
COPY static ./static
COPY templates ./templates
RUN pip install --no-cache-dir -e .

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=2)"]
CMD ["python", "-m", "app"]
