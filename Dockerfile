# One image for every Radar service; docker-compose.yml and deploy/k8s pick the command.
# Published as ghcr.io/radar/radar:<version> (make up builds it under RADAR_IMAGE).
FROM python:3.11-slim
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="radar" \
      org.opencontainers.image.description="AI-monetization market signals over Redis streams" \
      org.opencontainers.image.version="${VERSION}"
ENV PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/radar UV_PYTHON_DOWNLOADS=never \
    PATH=/opt/radar/bin:$PATH
RUN pip install --no-cache-dir "uv==0.13.9" \
    && useradd --system --create-home --uid 10001 radar \
    && mkdir -p /etc/radar
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY libs ./libs
COPY services ./services
RUN uv sync --frozen --no-dev --all-packages --no-editable
USER radar
CMD ["radar", "--help"]
