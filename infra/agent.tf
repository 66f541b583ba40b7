# The LiveKit agent worker (agent_worker/, image built by Cloud Build) on Cloud Run.
#
# The worker does not serve interviews over HTTP: it keeps an outbound WebSocket to LiveKit, which
# dispatches jobs (interviews) to it, and each job holds a Gemini Live session. Hence:
# - min instances >= 1 and CPU always allocated (cpu_idle = false): with no instance, or a throttled
#   CPU between requests, no worker is registered and candidates wait for nobody. This is billed as an
#   always-on instance (docs/deploy.md, cost).
# - Ingress internal only: nothing outside needs to reach it. Cloud Run's probes are not affected.
# - Port 8081 is livekit-agents' health server; the startup probe waits for the worker to connect
#   (the path answers 503 until then), the liveness probe restarts a worker that lost LiveKit.
# - timeout 3600 s, the Cloud Run maximum, only bounds the few HTTP requests it serves.
# - Graceful shutdown: Cloud Run sends SIGTERM and kills the instance 10 seconds later; this is not
#   configurable. livekit-agents drains on SIGTERM (no new jobs) but an interview in progress on a
#   replaced instance is cut after those 10 s, so the agent must finish what it can on SIGTERM (the
#   turns are already stored one by one; it ends the interview with a reason and calls the webhook) and
#   deploys should happen when no interview is running. See docs/deploy.md, "Deploy".
# - Environment: the settings the agent's code reads (interview_core's Settings and agent_worker/config.py's
#   AgentSettings) that production needs; the image sets the rest (Dockerfile ENV: JSON logs, health
#   host, drain timeout). tests/infra/test_env.py fails on a variable the agent never reads (it caught
#   GEMINI_MODEL here, where the agent reads GEMINI_LIVE_MODEL) and on a needed one left unset.
# - The release build changes only the image after creation; the image is ignored here so that an apply does
#   not roll the agent back to var.agent_image.

locals {
  agent_env = {
    ENVIRONMENT           = "production"
    GOOGLE_CLOUD_PROJECT  = var.project_id
    GEMINI_LIVE_MODEL     = var.agent_gemini_model
    LIVEKIT_URL           = var.livekit_url
    AGENT_NAME            = local.agent_name
    API_URL               = local.api_url
    WEBHOOK_AUTH          = "oidc"
    WEBHOOK_OIDC_AUDIENCE = local.api_url
    TRACES_EXPORTER       = var.traces_exporter
    METRICS_EXPORTER      = var.metrics_exporter
  }
  # Environment variable => Secret Manager secret id.
  agent_secret_env = {
    GEMINI_API_KEY     = "gemini-api-key"
    LIVEKIT_API_KEY    = "livekit-api-key"
    LIVEKIT_API_SECRET = "livekit-api-secret"
  }
}

resource "google_cloud_run_v2_service" "agent" {
  name        = local.agent_service_name
  location    = var.region
  description = "LiveKit agent worker `interviewer` (Gemini Live)"
  ingress     = "INGRESS_TRAFFIC_INTERNAL_ONLY"

  template {
    service_account                  = google_service_account.sa["agent"].email
    timeout                          = "3600s"
    max_instance_request_concurrency = var.agent_concurrency
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"

    scaling {
      min_instance_count = var.agent_min_instances
      max_instance_count = var.agent_max_instances
    }

    containers {
      image = var.agent_image

      ports {
        container_port = local.agent_health_port
      }

      resources {
        limits = {
          cpu    = var.agent_cpu
          memory = var.agent_memory
        }
        cpu_idle          = false
        startup_cpu_boost = true
      }

      # Up to 2 minutes to start and register with LiveKit.
      startup_probe {
        http_get {
          path = var.agent_health_path
          port = local.agent_health_port
        }
        period_seconds    = 5
        timeout_seconds   = 3
        failure_threshold = 24
      }

      liveness_probe {
        http_get {
          path = var.agent_health_path
          port = local.agent_health_port
        }
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
      }

      dynamic "env" {
        for_each = local.agent_env
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = local.agent_secret_env
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.secret[env.value].secret_id
              version = "latest"
            }
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template[0].containers[0].image,
      client,
      client_version,
    ]
  }

  depends_on = [
    google_project_iam_member.project_roles,
    google_secret_manager_secret_iam_member.readers,
  ]
}
