# Cloud Scheduler calls `sweep` every 5 minutes with an OIDC token of the scheduler account, the only
# account allowed to invoke it (iam.tf). No retries: the next run is 5 minutes away and sweep is
# idempotent. The attempt deadline covers the function's 300 s timeout.

resource "google_cloud_scheduler_job" "sweep" {
  name             = "${var.service_prefix}sweep"
  region           = var.region
  description      = "Finalise abandoned interviews and expire invites"
  schedule         = var.sweep_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "320s"

  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = local.sweep_url
    headers = {
      "Content-Type" = "application/json"
    }
    body = base64encode("{}")

    oidc_token {
      service_account_email = google_service_account.sa["scheduler"].email
      audience              = local.sweep_url
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_cloud_run_v2_service_iam_member.function_invokers,
  ]
}
