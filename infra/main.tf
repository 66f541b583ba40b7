# AI Interviewer on Google Cloud. One file per concern:
#   apis.tf       the APIs to enable
#   firestore.tf  the (default) database and the composite indexes of ../firestore.indexes.json
#   tasks.tf      the `evaluations` queue, its policy read from queue.json (= queue_policy.py)
#   storage.tf    the transcript-archive bucket, the function-sources bucket, the image repository
#   iam.tf        service accounts and every role they hold (docs/deploy.md has the same table)
#   secrets.tf    Secret Manager secrets (no values: the operator adds versions with gcloud)
#   functions.tf  the api, evaluate and sweep functions
#   agent.tf      the LiveKit agent worker on Cloud Run
#   scheduler.tf  the sweep schedule
#   firebase.tf   the Firebase project link, web app, Hosting site and Auth (email/password) settings
#   cloudbuild.tf the CI, publish and release triggers (when a repository connection is given)
#   monitoring.tf the dashboard, the alert policies and the monthly budget
#
# Who owns what after the first apply (decision): Terraform owns configuration (accounts, IAM, env,
# secrets, scaling); the pipeline owns code (the agent image, the functions' source zip, Hosting). The
# services therefore ignore changes to their image/source, and the release deploys code without
# touching configuration, so neither undoes the other.

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = var.labels
}

# The Firebase project link, web app and Hosting site exist only in google-beta (firebase.tf).
provider "google-beta" {
  project = var.project_id
  region  = var.region

  default_labels = var.labels
}

locals {
  # The agent name the token dispatches and the worker registers: settings.py's `agent_name` default.
  agent_name = "interviewer"

  # The queue's name and policy: infra/queue.json (equal to functions/interview_core/queue_policy.py,
  # checked by tests/infra/test_queue.py).
  queue = jsondecode(file("${path.module}/queue.json"))
  # The webhook deliveries' queue: infra/webhook_queue.json (= queue_policy.WEBHOOK_RETRY).
  webhook_queue = jsondecode(file("${path.module}/webhook_queue.json"))

  firestore_location = coalesce(var.firestore_location, var.region)
  hosting_site       = coalesce(var.hosting_site_id, var.project_id)
  public_base_url    = trimsuffix(coalesce(var.public_base_url, "https://${local.hosting_site}.web.app"), "/")

  # The functions' URLs are known before they exist: 2nd gen functions keep the
  # https://<region>-<project>.cloudfunctions.net/<name> URL beside their run.app one. Deriving them
  # avoids self-references (the api is its own webhook audience, evaluate checks that Cloud Tasks
  # tokens are addressed to it). Cloud Run and the code both accept tokens whose audience is this URL.
  # The `check` below compares them with the URLs the functions report. Domain-scoped project ids
  # ("example.com:p") do not have this form.
  function_urls = {
    for name in ["api", "evaluate", "sweep"] :
    name => "https://${var.region}-${var.project_id}.cloudfunctions.net/${name}"
  }
  api_url      = local.function_urls["api"]
  evaluate_url = local.function_urls["evaluate"]
  sweep_url    = local.function_urls["sweep"]

  agent_service_name   = "${var.service_prefix}agent"
  archive_bucket       = "${var.project_id}-archives"
  sources_bucket       = "${var.project_id}-sources"
  build_staging_bucket = "${var.project_id}-build-staging"

  # The port of the agent's health server (livekit-agents' default in production mode).
  agent_health_port = 8081
}

check "function_urls_are_predictable" {
  assert {
    condition = (
      google_cloudfunctions2_function.api.url == local.api_url &&
      google_cloudfunctions2_function.evaluate.url == local.evaluate_url &&
      google_cloudfunctions2_function.sweep.url == local.sweep_url
    )
    error_message = "A function reports another URL than local.function_urls: the webhook audience, EVALUATE_URL or the scheduler's target would not match. Reported: ${google_cloudfunctions2_function.api.url}, ${google_cloudfunctions2_function.evaluate.url}, ${google_cloudfunctions2_function.sweep.url}."
  }
}
