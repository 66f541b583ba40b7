# The three HTTP functions (Cloud Functions 2nd gen, python311), all built from the same source:
# functions/main.py defines `api`, `evaluate` and `sweep` (the entry points below).
#
# Decisions:
# - Source: Terraform creates each function from functions/bootstrap.zip (the working tree at the first
#   apply, storage.tf); the publish build (cloudbuild.yaml) uploads functions/<SHORT_SHA>.zip and an
#   approved release (cloudbuild.release.yaml) redeploys the three functions from it.
#   build_config.source is ignored after creation, so an apply never rolls code back. The release
#   passes no configuration flags, so a deploy never changes env, secrets or accounts.
# - Build account: `builder` (iam.tf), which only writes logs and images and reads the zips.
# - Names are fixed (not prefixed): firebase.json rewrites /api/** to the function named `api`.
# - Environment: per function, exactly the settings its code reads (functions/interview_core/settings.py,
#   field name upper-cased or its alias) that production cannot leave at their local defaults, plus
#   tuning it reads. Secrets come from Secret Manager (version "latest", resolved at instance start),
#   never as plain values. tests/infra/test_env.py derives both sides from the code: a variable no
#   code of that function reads fails, and so does a needed setting left unset.
# - WEBHOOK_AUTH=oidc (api) and SWEEP_AUTH=oidc (sweep): the webhook and the sweep authenticate Google
#   OIDC tokens; the HMAC secret is the local stand-in. evaluate checks Cloud Tasks' tokens only.
# - sweep checks Cloud Scheduler's OIDC token: account SCHEDULER_SERVICE_ACCOUNT, audience
#   SWEEP_OIDC_AUDIENCE (the URL scheduler.tf calls). evaluate checks Cloud Tasks' token the same way
#   (TASKS_SERVICE_ACCOUNT, EVALUATE_URL).
# - LOG_EXECUTION_ID is set because gcloud sets it on every deploy; leaving it out would make each
#   apply after a build show a diff.
# - api: public (the allUsers grant is in iam.tf), min instances against cold starts, 1 vCPU so it
#   can serve concurrent requests. Its timeout is 60 s: Firebase Hosting's rewrite proxy gives up after
#   60 s anyway, so a longer request would only hold an instance.
# - evaluate: one request per instance (a Gemini evaluation is long and memory-heavy), timeout equal to
#   the task dispatch deadline in queue.json so Cloud Tasks and the function give up together.
# - sweep: one instance at most, so two sweeps never race.

locals {
  api_env = {
    ENVIRONMENT           = "production"
    GOOGLE_CLOUD_PROJECT  = var.project_id
    REGION                = var.region
    LOG_FORMAT            = "json"
    LOG_EXECUTION_ID      = "true"
    TRACES_EXPORTER       = var.traces_exporter
    METRICS_EXPORTER      = var.metrics_exporter
    PUBLIC_BASE_URL       = local.public_base_url
    GEMINI_MODEL          = var.gemini_model
    LIVEKIT_URL           = var.livekit_url
    AGENT_NAME            = local.agent_name
    WEBHOOK_AUTH          = "oidc"
    WEBHOOK_OIDC_AUDIENCE = local.api_url
    AGENT_SERVICE_ACCOUNT = google_service_account.sa["agent"].email
    STORAGE_BUCKET        = google_storage_bucket.archives.name
    TASKS_QUEUE           = google_cloud_tasks_queue.evaluations.name
    WEBHOOK_TASKS_QUEUE   = google_cloud_tasks_queue.webhooks.name
    EVALUATE_URL          = local.evaluate_url
    TASKS_SERVICE_ACCOUNT = google_service_account.sa["tasks-invoker"].email
    # Invite and reminder emails through the provider's SMTP relay (credentials: secrets below).
    SMTP_HOST                  = var.smtp_host
    SMTP_PORT                  = var.smtp_port
    SMTP_SECURITY              = var.smtp_security
    MAIL_FROM                  = var.mail_from
    INVITE_REMINDER_LEAD_HOURS = var.invite_reminder_lead_hours
    # functions-framework serves with gunicorn threads = 4 per vCPU unless told; one thread per
    # concurrent request, so requests the instance accepts do not queue behind busy threads.
    THREADS = tostring(var.api_concurrency)
  }
  # Environment variable => Secret Manager secret id.
  api_secret_env = {
    GEMINI_API_KEY     = "gemini-api-key"
    LIVEKIT_API_KEY    = "livekit-api-key"
    LIVEKIT_API_SECRET = "livekit-api-secret"
    SMTP_USERNAME      = "smtp-username"
    SMTP_PASSWORD      = "smtp-password"
  }

  evaluate_env = {
    ENVIRONMENT           = "production"
    GOOGLE_CLOUD_PROJECT  = var.project_id
    LOG_FORMAT            = "json"
    LOG_EXECUTION_ID      = "true"
    TRACES_EXPORTER       = var.traces_exporter
    METRICS_EXPORTER      = var.metrics_exporter
    GEMINI_MODEL          = var.gemini_model
    STORAGE_BUCKET        = google_storage_bucket.archives.name
    EVALUATE_URL          = local.evaluate_url
    TASKS_SERVICE_ACCOUNT = google_service_account.sa["tasks-invoker"].email
    # report.ready webhook events (and the region of the webhooks queue's path).
    REGION              = var.region
    WEBHOOK_TASKS_QUEUE = google_cloud_tasks_queue.webhooks.name
  }
  evaluate_secret_env = {
    GEMINI_API_KEY = "gemini-api-key"
  }

  sweep_env = {
    ENVIRONMENT               = "production"
    GOOGLE_CLOUD_PROJECT      = var.project_id
    REGION                    = var.region
    LOG_FORMAT                = "json"
    LOG_EXECUTION_ID          = "true"
    TRACES_EXPORTER           = var.traces_exporter
    METRICS_EXPORTER          = var.metrics_exporter
    TASKS_QUEUE               = google_cloud_tasks_queue.evaluations.name
    WEBHOOK_TASKS_QUEUE       = google_cloud_tasks_queue.webhooks.name
    EVALUATE_URL              = local.evaluate_url
    TASKS_SERVICE_ACCOUNT     = google_service_account.sa["tasks-invoker"].email
    WEBHOOK_AUTH              = "oidc"
    SWEEP_AUTH                = "oidc"
    SWEEP_OIDC_AUDIENCE       = local.sweep_url
    SCHEDULER_SERVICE_ACCOUNT = google_service_account.sa["scheduler"].email
    # Retention deletes an expired interview's archived files too.
    STORAGE_BUCKET = google_storage_bucket.archives.name
    # The invite reminders' links and relay.
    PUBLIC_BASE_URL = local.public_base_url
    # Invite and reminder emails through the provider's SMTP relay (credentials: secrets below).
    SMTP_HOST     = var.smtp_host
    SMTP_PORT     = var.smtp_port
    SMTP_SECURITY = var.smtp_security
    MAIL_FROM     = var.mail_from
  }
  sweep_secret_env = {
    SMTP_USERNAME = "smtp-username"
    SMTP_PASSWORD = "smtp-password"
  }
}

resource "google_cloudfunctions2_function" "api" {
  name        = "api"
  location    = var.region
  description = "Recruiter and candidate REST API (/api/**, behind Firebase Hosting)"

  build_config {
    runtime           = "python311"
    entry_point       = "api"
    docker_repository = google_artifact_registry_repository.images.id
    service_account   = google_service_account.sa["builder"].id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.functions_bootstrap.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.sa["api"].email
    available_memory                 = var.api_memory
    available_cpu                    = "1"
    max_instance_request_concurrency = var.api_concurrency
    min_instance_count               = var.api_min_instances
    max_instance_count               = var.api_max_instances
    timeout_seconds                  = 60
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables            = local.api_env

    dynamic "secret_environment_variables" {
      for_each = local.api_secret_env
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  lifecycle {
    ignore_changes = [build_config[0].source]
  }

  # Before it can start: its account's roles and secrets; the builder's rights as build account.
  depends_on = [
    google_project_iam_member.project_roles,
    google_secret_manager_secret_iam_member.readers,
    google_service_account_iam_member.act_as,
    google_artifact_registry_repository_iam_member.image_writers,
    google_storage_bucket_iam_member.sources_object_viewers,
  ]
}

resource "google_cloudfunctions2_function" "evaluate" {
  name        = "evaluate"
  location    = var.region
  description = "Evaluates a finished interview (Cloud Tasks target, OIDC from the tasks-invoker account)"

  build_config {
    runtime           = "python311"
    entry_point       = "evaluate"
    docker_repository = google_artifact_registry_repository.images.id
    service_account   = google_service_account.sa["builder"].id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.functions_bootstrap.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.sa["evaluate"].email
    available_memory                 = "1Gi"
    available_cpu                    = "1"
    max_instance_request_concurrency = 1
    min_instance_count               = 0
    max_instance_count               = var.evaluate_max_instances
    timeout_seconds                  = local.queue.dispatch_deadline_seconds
    # Reachable from Cloud Tasks; only the tasks-invoker account may invoke it (iam.tf).
    ingress_settings               = "ALLOW_ALL"
    all_traffic_on_latest_revision = true
    environment_variables          = local.evaluate_env

    dynamic "secret_environment_variables" {
      for_each = local.evaluate_secret_env
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  lifecycle {
    ignore_changes = [build_config[0].source]
  }

  # Before it can start: its account's roles and secrets; the builder's rights as build account.
  depends_on = [
    google_project_iam_member.project_roles,
    google_secret_manager_secret_iam_member.readers,
    google_service_account_iam_member.act_as,
    google_artifact_registry_repository_iam_member.image_writers,
    google_storage_bucket_iam_member.sources_object_viewers,
  ]
}

resource "google_cloudfunctions2_function" "sweep" {
  name        = "sweep"
  location    = var.region
  description = "Finalises abandoned interviews and expires invites (Cloud Scheduler, every 5 minutes)"

  build_config {
    runtime           = "python311"
    entry_point       = "sweep"
    docker_repository = google_artifact_registry_repository.images.id
    service_account   = google_service_account.sa["builder"].id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.functions_bootstrap.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.sa["sweep"].email
    available_memory                 = "512Mi"
    max_instance_request_concurrency = 1
    min_instance_count               = 0
    max_instance_count               = 1
    timeout_seconds                  = 300
    # Reachable from Cloud Scheduler; only the scheduler account may invoke it (iam.tf).
    ingress_settings               = "ALLOW_ALL"
    all_traffic_on_latest_revision = true
    environment_variables          = local.sweep_env

    dynamic "secret_environment_variables" {
      for_each = local.sweep_secret_env
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  lifecycle {
    ignore_changes = [build_config[0].source]
  }

  # Before it can start: its account's roles and secrets; the builder's rights as build account.
  depends_on = [
    google_project_iam_member.project_roles,
    google_secret_manager_secret_iam_member.readers,
    google_service_account_iam_member.act_as,
    google_artifact_registry_repository_iam_member.image_writers,
    google_storage_bucket_iam_member.sources_object_viewers,
  ]
}
