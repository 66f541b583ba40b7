# The pipeline's three Cloud Build triggers, created when var.build_repository names a repository
# connection (Cloud Build 2nd gen, in var.region). Without one, the same three builds run by hand: the
# outputs print the commands (docs/deploy.md, "Deploy").
#
#   ci       every push to var.build_branch: cloudbuild.ci.yaml as `ci` (lint, tests, terraform
#            validate). No deploy right: a test that runs hostile code can deploy nothing.
#   publish  every push to var.build_branch: cloudbuild.yaml as `deployer`. Its first step waits for
#            the `ci` build of the same commit and stops unless it succeeded; then it publishes the
#            functions' zip and the agent image and deploys Hosting, rules and indexes.
#   release  started by a person (`gcloud builds triggers run`), and held until someone with
#            roles/cloudbuild.builds.approver approves it: cloudbuild.release.yaml as `releaser`, which
#            rolls the functions and then the agent onto the published artifacts of that commit.
#
# The agent is never deployed on a push: only an approved release replaces it, at a time the approver
# chose (no interview running: docs/deploy.md, "Release").

locals {
  triggers_enabled = var.build_repository != null

  # Substitutions shared by the three builds; they must equal this configuration's names.
  build_substitutions = {
    _REGION         = var.region
    _AR_REPO        = var.artifact_repository
    _SERVICE_PREFIX = var.service_prefix
  }

  # The publish build also needs the CI account (the gate) and the web app's Firebase config.
  publish_substitutions = merge(local.build_substitutions, local.firebase_web_config, {
    _CI_SERVICE_ACCOUNT = google_service_account.sa["ci"].email
  })
}

resource "google_cloudbuild_trigger" "ci" {
  count = local.triggers_enabled ? 1 : 0

  name            = "${var.service_prefix}ci"
  location        = var.region
  description     = "Lint, unit tests and terraform validate of every push (no deploy rights)"
  service_account = google_service_account.sa["ci"].id
  filename        = "cloudbuild.ci.yaml"
  substitutions   = local.build_substitutions

  repository_event_config {
    repository = var.build_repository
    push {
      branch = var.build_branch
    }
  }

  depends_on = [google_project_iam_member.project_roles]
}

resource "google_cloudbuild_trigger" "publish" {
  count = local.triggers_enabled ? 1 : 0

  name            = "${var.service_prefix}publish"
  location        = var.region
  description     = "After the ci build of the same commit passed: publish the artifacts, deploy Hosting"
  service_account = google_service_account.sa["deployer"].id
  filename        = "cloudbuild.yaml"
  substitutions   = local.publish_substitutions

  repository_event_config {
    repository = var.build_repository
    push {
      branch = var.build_branch
    }
  }

  depends_on = [google_project_iam_member.project_roles]
}

resource "google_cloudbuild_trigger" "release" {
  count = local.triggers_enabled ? 1 : 0

  name            = "${var.service_prefix}release"
  location        = var.region
  description     = "Roll the functions and the agent onto a published commit (needs approval)"
  service_account = google_service_account.sa["releaser"].id
  substitutions   = local.build_substitutions

  # Manual: run with `gcloud builds triggers run ... --sha=<commit>`.
  source_to_build {
    repository = var.build_repository
    ref        = "refs/heads/${trim(var.build_branch, "^$")}"
    repo_type  = var.build_repository_type
  }

  git_file_source {
    path       = "cloudbuild.release.yaml"
    repository = var.build_repository
    revision   = "refs/heads/${trim(var.build_branch, "^$")}"
    repo_type  = var.build_repository_type
  }

  approval_config {
    approval_required = true
  }

  depends_on = [google_service_account_iam_member.act_as]
}
