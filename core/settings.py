"""Settings from environment variables with the prefix ``SOHOA_``.

One class per concern, gathered in :class:`Settings`. Nothing reads the
environment at import time: the shell calls :func:`load_settings` once and
passes the result down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDERS = {"", "changeme", "changethis", "minioadmin"}


def _config() -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix="SOHOA_", extra="ignore")


class CatalogueSettings(BaseSettings):
    """Where the catalogue lives; SQLite under the data directory by default."""

    model_config = _config()
    database_url: str | None = None


class StorageSettings(BaseSettings):
    """Object storage: a folder (``fs``) or an S3 server (``s3``)."""

    model_config = _config()
    storage: Literal["fs", "s3"] = "fs"
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = ""
    s3_secret_key: SecretStr = SecretStr("")
    s3_bucket: str = "sohoa"
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    object_lock: bool = True
    lock_mode: Literal["COMPLIANCE", "GOVERNANCE"] = "COMPLIANCE"


class OcrSettings(BaseSettings):
    """OCR engine and page limits."""

    model_config = _config()
    ocr_languages: str = "vie"
    ocr_workers: int = Field(default=0, ge=0)
    ocr_timeout: float = Field(default=180.0, gt=0)
    ocr_dpi: int = Field(default=300, ge=72, le=600)
    rescan_threshold: float = Field(default=60.0, ge=0, le=100)
    max_image_pixels: int = Field(default=150_000_000, gt=0)
    max_file_bytes: int = Field(default=512 * 1024 * 1024, gt=0)


class TaskSettings(BaseSettings):
    """How pipeline steps run: in this process or on Celery workers."""

    model_config = _config()
    tasks: Literal["inprocess", "celery"] = "inprocess"
    broker_url: str = "redis://127.0.0.1:6379/0"
    result_backend: str | None = None
    task_max_retries: int = Field(default=3, ge=0)
    task_retry_backoff: float = Field(default=2.0, gt=0)
    task_retry_backoff_max: float = Field(default=120.0, gt=0)
    task_visibility_timeout: int = Field(default=3600, ge=1)


class RetentionSettings(BaseSettings):
    """Retention schedules: when the count starts and how early to warn."""

    model_config = _config()
    retention_trigger: Literal["end_of_year_closed", "closed_date"] = (
        "end_of_year_closed"
    )
    retention_warn_days: int = Field(default=30, ge=0)
    retention_classes_file: Path | None = None
    certificate_font: Path | None = None


class Settings(BaseSettings):
    """Every setting of sohoa, grouped by concern."""

    model_config = _config()
    env: Literal["dev", "prod"] = "dev"
    data_dir: Path = Path("sohoa-data")
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    catalogue: CatalogueSettings = Field(default_factory=CatalogueSettings)
    storage_cfg: StorageSettings = Field(default_factory=StorageSettings)
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    task_cfg: TaskSettings = Field(default_factory=TaskSettings)
    retention_cfg: RetentionSettings = Field(default_factory=RetentionSettings)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.env == "prod" and self.storage_cfg.storage == "s3":
            secret = self.storage_cfg.s3_secret_key.get_secret_value()
            if secret.lower() in _PLACEHOLDERS:
                msg = "SOHOA_S3_SECRET_KEY holds a placeholder; set a real one"
                raise ValueError(msg)
        return self

    @property
    def database_url(self) -> str:
        """The catalogue URL, SQLite under ``data_dir`` when none is set."""
        if self.catalogue.database_url:
            return self.catalogue.database_url
        return f"sqlite:///{(self.data_dir / 'catalogue.sqlite3').resolve()}"

    @property
    def objects_dir(self) -> Path:
        """Root of the filesystem object store."""
        return self.data_dir / "objects"

    @property
    def quarantine_dir(self) -> Path:
        """Where rejected files are kept with their reason."""
        return self.data_dir / "quarantine"

    @property
    def work_dir(self) -> Path:
        """Scratch space for page images; cleaned after each document."""
        return self.data_dir / "work"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, then apply ``overrides``."""
    settings = Settings()
    return settings.model_copy(update=overrides) if overrides else settings
