# Service accounts and every role they hold. This file is the whole IAM design: each account gets only
# what its code does, on the narrowest resource that grants it. docs/deploy.md carries the same table,
# and tests/infra/test_iam.py fails when the two disagree or when a broad role appears.
#
# Decisions:
# - Only additive *_iam_member resources: never *_iam_binding or *_iam_policy, which would remove
#   grants made outside this configuration (the operator's own, Google's service agents).
# - No basic roles (owner, editor, viewer) anywhere.
# - Firestore has no per-collection IAM; datastore.user at project level is the narrowest role. Security
#   rules do not apply to these accounts: the code is what limits them.
# - api needs roles/firebaseauth.viewer: verify_id_token(check_revoked=True) reads the user record.
# - The agent may invoke `api` although `api` is public (allUsers): its webhook carries an OIDC token of
#   this account, and the grant keeps working if the api is ever made private.
#
# The pipeline (cloudbuild*.yaml, docs/deploy.md "Deploy"): deploying code that runs as a service
# account is acting as it, so only one account can do that, and only after a person approved it.
# - `ci` runs the tests (cloudbuild.ci.yaml): it writes logs and reads its staged source, nothing else.
#   Whatever the tested code does, it holds no deploy right, no secret, no data.
# - `deployer` publishes (cloudbuild.yaml), only after a successful `ci` build of the same commit: the
#   functions' zip (write-once), the agent image, and Hosting with the Firestore rules and indexes. It
#   cannot act as any account (no roles/iam.serviceAccountUser), read any secret or touch Firestore data,
#   and it runs no repository code but the packaging script and the web build.
# - `releaser` (cloudbuild.release.yaml, a trigger that needs a person's approval) rolls the functions
#   and the agent onto an artifact the deployer published. It is the only account that acts as the
#   runtime accounts, so it could run code with their rights (their secrets included): its builds run
#   nothing but the pinned gcloud image, and each one is approved.
# - `builder` is the functions' build account (Cloud Functions builds the zip with buildpacks as it):
#   logs, the function images, reading the zips. The releaser acts as it to deploy.
locals {
  # Account key => account id suffix is the key itself: "<service_prefix><key>".
  service_accounts = {
    "api"           = "API function: recruiter and candidate REST API"
    "evaluate"      = "evaluate function: Cloud Tasks target, writes reports"
    "sweep"         = "sweep function: finalises abandoned interviews, expires invites"
    "agent"         = "LiveKit agent worker on Cloud Run"
    "tasks-invoker" = "Identity of the evaluations queue's OIDC tokens (invokes evaluate)"
    "scheduler"     = "Identity of Cloud Scheduler's OIDC tokens (invokes sweep)"
    "ci"            = "Cloud Build: the tests (cloudbuild.ci.yaml); no deploy rights"
    "deployer"      = "Cloud Build: publishes the functions' zip and the agent image, deploys Hosting, rules, indexes"
    "releaser"      = "Cloud Build: rolls the functions and the agent onto a published artifact (approved builds)"
    "builder"       = "Build account of the functions (Cloud Functions builds their images as it)"
  }

  # Project-level roles.
  iam_project_roles = {
    # roles/cloudtrace.agent: each deployable writes its spans to Cloud Trace; roles/monitoring.metricWriter:
    # and its metrics to Cloud Monitoring (docs/observability.md; write only, no reading of either).
    "api"      = ["roles/datastore.user", "roles/firebaseauth.viewer", "roles/cloudtrace.agent", "roles/monitoring.metricWriter"]
    "evaluate" = ["roles/datastore.user", "roles/cloudtrace.agent", "roles/monitoring.metricWriter"]
    "sweep"    = ["roles/datastore.user", "roles/cloudtrace.agent", "roles/monitoring.metricWriter"]
    "agent"    = ["roles/datastore.user", "roles/cloudtrace.agent", "roles/monitoring.metricWriter"]
    "ci"       = ["roles/logging.logWriter"]
    "deployer" = [
      # the CI gate: reads builds to find a successful `ci` build of its commit
      "roles/cloudbuild.builds.viewer",
      # firebase deploy of Hosting (whose /api/** rewrite is resolved to the api's Cloud Run service),
      # the Firestore rules and the indexes
      "roles/firebasehosting.admin",
      "roles/firebaserules.admin",
      "roles/datastore.indexAdmin",
      "roles/cloudfunctions.viewer",
      "roles/run.viewer",
      "roles/serviceusage.serviceUsageConsumer",
      "roles/logging.logWriter",
    ]
    "releaser" = [
      "roles/cloudfunctions.developer",
      "roles/run.developer",
      "roles/logging.logWriter",
    ]
    "builder" = ["roles/logging.logWriter"]
  }

  # roles/secretmanager.secretAccessor, per secret: secret id => accounts that read it.
  # Also the list of secrets that exist (secrets.tf). A secret is mounted into, and readable by,
  # exactly the deployables whose production code uses it (tests/infra/test_env.py, test_iam.py). No
  # webhook secret: with WEBHOOK_AUTH=oidc the completion webhook is authenticated by the agent's OIDC
  # token, and the HMAC secret is the local stack's stand-in only.
  iam_secret_readers = {
    "gemini-api-key"     = ["api", "evaluate", "agent"]
    "livekit-api-key"    = ["api", "agent"]
    "livekit-api-secret" = ["api", "agent"]
    # The SMTP relay's login: the api sends invites, the sweeper reminders.
    "smtp-username" = ["api", "sweep"]
    "smtp-password" = ["api", "sweep"]
  }

  # roles/cloudtasks.enqueuer on the evaluations queue.
  iam_queue_enqueuers = ["api", "sweep"]

  # roles/cloudtasks.enqueuer on the webhooks queue: each emits webhook events (api: starts, cancels,
  # deletions, test events; sweep: abandoned interviews completed; evaluate: reports ready).
  iam_webhook_queue_enqueuers = ["api", "evaluate", "sweep"]

  # roles/storage.objectAdmin on the transcript-archive bucket.
  # sweep: retention deletes an expired interview's archived files.
  iam_archive_object_admins = ["api", "evaluate", "sweep"]

  # Function-sources bucket: the deployer adds a zip per commit and can read it back (to skip one that
  # is already published) but never replace or delete one, so a zip a release used stays what it was;
  # the builder reads the zip it builds.
  iam_sources_object_creators = ["deployer"]
  iam_sources_object_viewers  = ["deployer", "builder"]

  # roles/storage.objectViewer on the build-staging bucket: `gcloud builds submit
  # --gcs-source-staging-dir` uploads the source there, and the build's account reads it.
  iam_staging_object_viewers = ["ci", "deployer"]

  # roles/artifactregistry.writer on the image repository: the agent image, the functions' images.
  iam_image_writers = ["deployer", "builder"]

  # roles/iam.serviceAccountUser: account => the accounts it may act as. api, evaluate (webhook
  # deliveries) and sweep create tasks whose OIDC token is the tasks-invoker's; the releaser deploys
  # the services that run as the runtime accounts, and the functions' builds that run as the builder.
  iam_act_as = {
    "api"      = ["tasks-invoker"]
    "evaluate" = ["tasks-invoker"]
    "sweep"    = ["tasks-invoker"]
    "releaser" = ["api", "evaluate", "sweep", "agent", "builder"]
  }

  # roles/run.invoker on each function's Cloud Run service: function => accounts.
  # `api` is also public (allUsers, below): it authenticates every caller itself.
  iam_function_invokers = {
    "api"      = ["agent"]
    "evaluate" = ["tasks-invoker"]
    "sweep"    = ["scheduler"]
  }
}

resource "google_service_account" "sa" {
  for_each = local.service_accounts

  account_id   = "${var.service_prefix}${each.key}"
  display_name = "${var.service_prefix}${each.key}"
  description  = each.value

  depends_on = [google_project_service.enabled]
}

resource "google_project_iam_member" "project_roles" {
  for_each = {
    for pair in flatten([
      for account, roles in local.iam_project_roles : [
        for role in roles : { account = account, role = role }
      ]
    ]) : "${pair.account} ${pair.role}" => pair
  }

  project = var.project_id
  role    = each.value.role
  member  = google_service_account.sa[each.value.account].member
}

resource "google_secret_manager_secret_iam_member" "readers" {
  for_each = {
    for pair in flatten([
      for secret, accounts in local.iam_secret_readers : [
        for account in accounts : { secret = secret, account = account }
      ]
    ]) : "${pair.secret} ${pair.account}" => pair
  }

  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.sa[each.value.account].member
}

resource "google_cloud_tasks_queue_iam_member" "enqueuers" {
  for_each = toset(local.iam_queue_enqueuers)

  name     = google_cloud_tasks_queue.evaluations.name
  location = google_cloud_tasks_queue.evaluations.location
  role     = "roles/cloudtasks.enqueuer"
  member   = google_service_account.sa[each.value].member
}

resource "google_cloud_tasks_queue_iam_member" "webhook_enqueuers" {
  for_each = toset(local.iam_webhook_queue_enqueuers)

  name     = google_cloud_tasks_queue.webhooks.name
  location = google_cloud_tasks_queue.webhooks.location
  role     = "roles/cloudtasks.enqueuer"
  member   = google_service_account.sa[each.value].member
}

resource "google_storage_bucket_iam_member" "archive_object_admins" {
  for_each = toset(local.iam_archive_object_admins)

  bucket = google_storage_bucket.archives.name
  role   = "roles/storage.objectAdmin"
  member = google_service_account.sa[each.value].member
}

resource "google_storage_bucket_iam_member" "sources_object_creators" {
  for_each = toset(local.iam_sources_object_creators)

  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectCreator"
  member = google_service_account.sa[each.value].member
}

resource "google_storage_bucket_iam_member" "sources_object_viewers" {
  for_each = toset(local.iam_sources_object_viewers)

  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.sa[each.value].member
}

resource "google_storage_bucket_iam_member" "staging_object_viewers" {
  for_each = toset(local.iam_staging_object_viewers)

  bucket = google_storage_bucket.build_staging.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.sa[each.value].member
}

resource "google_artifact_registry_repository_iam_member" "image_writers" {
  for_each = toset(local.iam_image_writers)

  repository = google_artifact_registry_repository.images.name
  location   = google_artifact_registry_repository.images.location
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.sa[each.value].member
}

resource "google_service_account_iam_member" "act_as" {
  for_each = {
    for pair in flatten([
      for account, targets in local.iam_act_as : [
        for target in targets : { account = account, target = target }
      ]
    ]) : "${pair.account} ${pair.target}" => pair
  }

  service_account_id = google_service_account.sa[each.value.target].name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.sa[each.value.account].member
}

locals {
  # The Cloud Run service behind each function has the function's name.
  function_services = {
    "api"      = google_cloudfunctions2_function.api.name
    "evaluate" = google_cloudfunctions2_function.evaluate.name
    "sweep"    = google_cloudfunctions2_function.sweep.name
  }
}

resource "google_cloud_run_v2_service_iam_member" "function_invokers" {
  for_each = {
    for pair in flatten([
      for function, accounts in local.iam_function_invokers : [
        for account in accounts : { function = function, account = account }
      ]
    ]) : "${pair.function} ${pair.account}" => pair
  }

  name     = local.function_services[each.value.function]
  location = var.region
  role     = "roles/run.invoker"
  member   = google_service_account.sa[each.value.account].member
}

# The api is public on purpose: browsers (through the Hosting rewrite) call it, and it authenticates
# every request itself (Firebase ID token, invite secret, or the agent's OIDC token). An organisation
# policy that forbids allUsers (domain-restricted sharing) blocks this grant: see docs/deploy.md.
resource "google_cloud_run_v2_service_iam_member" "api_public" {
  name     = google_cloudfunctions2_function.api.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}
