# Buckets and the image repository.

# Transcript archives written by the backend. Decisions:
# - uniform bucket-level access and enforced public access prevention: no ACLs, never public.
# - Each archive's custom time is its interview's expiry (`expire_at`, from the workspace's retention
#   period; functions/interview_core/domain/retention.py): the first lifecycle rule deletes it once
#   that time has passed, like the Firestore TTL policies delete the interview's documents. The
#   second rule is a backstop for objects without a custom time: archive_retention_days after creation.
# - No object versioning and no soft delete: when a recruiter deletes a candidate's data
#   (DELETE /api/interviews/{id}) the archive must really be gone, not kept as a noncurrent or
#   soft-deleted copy for another week.
# - force_destroy = false: `terraform destroy` stops at a non-empty bucket rather than erase archives.
resource "google_storage_bucket" "archives" {
  name     = local.archive_bucket
  location = var.region

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = false
  }

  soft_delete_policy {
    retention_duration_seconds = 0
  }

  lifecycle_rule {
    condition {
      age = var.archive_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_custom_time = 0
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

# Function source zips, one per commit (functions/<SHORT_SHA>.zip, uploaded by the publish build), kept
# sources_retention_days so an older build can be released again. Only the deployer adds zips, and it
# cannot replace or delete one (iam.tf); the builder reads them.
resource "google_storage_bucket" "sources" {
  name     = local.sources_bucket
  location = var.region

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  lifecycle_rule {
    condition {
      age = var.sources_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

# Where `gcloud builds submit --gcs-source-staging-dir=gs://<project>-build-staging/source` uploads the
# source of a build started by hand (triggers fetch it from the repository instead). gcloud's default,
# gs://<project>_cloudbuild, is created by gcloud on first use, outside this configuration, so the build
# accounts could not be granted reading it here; this bucket is readable by `ci` and `deployer` only.
resource "google_storage_bucket" "build_staging" {
  name     = local.build_staging_bucket
  location = var.region

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  lifecycle_rule {
    condition {
      age = 7
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

# The first source the functions are created with: the working tree's functions/ folder, zipped with
# the files infra/tools/package_functions.py would take (no caches, no dot-files). Cloud Build deploys
# every later version; this object is written once and then left alone.
locals {
  functions_dir = "${path.module}/../functions"
  functions_files = [
    for f in fileset(local.functions_dir, "**") : f
    if !strcontains(f, "__pycache__") && !endswith(f, ".pyc") && !startswith(f, ".") && !strcontains(f, "/.") && !endswith(f, "pyproject.toml")
  ]
}

data "archive_file" "functions_bootstrap" {
  type        = "zip"
  output_path = "${path.module}/.build/functions-bootstrap.zip"

  dynamic "source" {
    for_each = toset(local.functions_files)
    content {
      content  = file("${local.functions_dir}/${source.value}")
      filename = source.value
    }
  }
}

resource "google_storage_bucket_object" "functions_bootstrap" {
  bucket = google_storage_bucket.sources.name
  name   = "functions/bootstrap.zip"
  source = data.archive_file.functions_bootstrap.output_path

  lifecycle {
    ignore_changes = all
  }
}

# Docker images: the agent (pushed by Cloud Build) and the functions' build images.
# Keeps the 20 newest versions (enough to roll back) and deletes untagged or older ones after 90 days.
resource "google_artifact_registry_repository" "images" {
  repository_id = var.artifact_repository
  location      = var.region
  format        = "DOCKER"
  description   = "AI Interviewer: agent image and function build images"

  cleanup_policy_dry_run = false

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 20
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      tag_state  = "ANY"
      older_than = "7776000s"
    }
  }

  depends_on = [google_project_service.enabled]
}
