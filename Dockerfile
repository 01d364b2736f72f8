# One image for every Radar service; docker-compose.yml picks the command.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/radar UV_PYTHON_DOWNLOADS=never \
    PATH=/opt/radar/bin:$PATH
RUN pip install --no-cache-dir "uv==0.13.9" \
    && useradd --system --create-home --uid 10001 radar
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY libs ./libs
COPY services ./services
RUN uv sync --frozen --no-dev --all-packages --no-editable
USER radar
CMD ["radar", "--help"]
