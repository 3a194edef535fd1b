# Backprop Lab: the API and the page on port 8000.
# Behind a published port, browsers name the host's address, not the container's: set
# BACKPROP_ALLOWED_HOSTS to the names and addresses students type (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BACKPROP_HOST=0.0.0.0

RUN useradd --create-home --uid 10001 lab

# A real (non-editable) install: the image serves the wheel's files, the sources go away.
WORKDIR /tmp/backprop-lab
COPY pyproject.toml README.md ./
COPY nncore ./nncore
COPY app ./app
COPY static ./static
COPY templates ./templates
RUN pip install --no-cache-dir . && rm -rf /tmp/backprop-lab

USER 10001
WORKDIR /home/lab
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=2)"]
CMD ["backprop-lab"]
