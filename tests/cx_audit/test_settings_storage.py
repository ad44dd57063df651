"""Uploaded files go to the local disk, or to an S3-compatible bucket by setting."""

from __future__ import annotations

from django.core.files.storage import storages
from django.utils.module_loading import import_string

from cx_audit.settings import default_storage


class DefaultStorageTests:
    def test_local_disk_by_default(self):
        assert default_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}

    def test_an_s3_compatible_bucket_by_setting(self):
        config = default_storage(
            {
                "S3_BUCKET": "evidence",
                "S3_ENDPOINT_URL": "http://minio.internal:9000",
                "S3_REGION": "cn-east-1",
            }
        )
        assert config["BACKEND"] == "storages.backends.s3.S3Storage"
        assert config["OPTIONS"]["bucket_name"] == "evidence"
        assert config["OPTIONS"]["endpoint_url"] == "http://minio.internal:9000"
        assert config["OPTIONS"]["default_acl"] == "private"
        storage = import_string(config["BACKEND"])(**config["OPTIONS"])
        assert storage.bucket_name == "evidence"
        assert storage.endpoint_url == "http://minio.internal:9000"

    def test_the_running_project_stores_on_disk(self):
        assert type(storages["default"]).__name__ == "FileSystemStorage"
