# Tool and provider versions.
#
# Decisions:
# - OpenTofu 1.10 (installed by infra/tools/install-terraform.sh) or Terraform >= 1.5 both work: the code
#   uses nothing newer than `check` blocks (1.5). The floor is what a fresh machine gets from the script.
# - Providers pinned to one exact version each, the one .terraform.lock.hcl holds the release hashes of
#   and whose documentation tests/infra/provider_docs.json was checked against (provenance there).
#   google-beta carries the Firebase resources only (firebase.tf) and moves with google.
# - State lives in a GCS bucket (partial backend: the bucket is given at `init`, see docs/deploy.md). The
#   state holds no secret values: secret versions are added with gcloud, never through Terraform.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "= 6.50.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "= 6.50.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "= 2.7.1"
    }
  }

  backend "gcs" {}
}
