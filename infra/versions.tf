# Tool and provider versions.
#
# Decisions:
# - OpenTofu 1.10 (installed by infra/tools/install-terraform.sh) or Terraform >= 1.5 both work: the code
#   uses nothing newer than `check` blocks (1.5). The floor is what a fresh machine gets from the script.
# - google provider 6.x: google_cloudfunctions2_function.build_config.service_account, Cloud Run v2
#   `deletion_protection` and bucket `soft_delete_policy` all exist in 6.x. No google-beta resource is used.
# - State lives in a GCS bucket (partial backend: the bucket is given at `init`, see docs/deploy.md). The
#   state holds no secret values: secret versions are added with gcloud, never through Terraform.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.20"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }

  backend "gcs" {}
}
