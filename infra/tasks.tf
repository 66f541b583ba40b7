# The Cloud Tasks queue that runs evaluations. Its name and policy come from queue.json, which
# tests/infra keeps equal to the code's functions/interview_core/queue_policy.py: max_attempts 5 (the first attempt included), backoff 10 s doubling 4 times up to
# 300 s, and a dispatch rate limit that keeps Gemini calls under quota when many interviews end at once.
#
# Notes:
# - A deleted queue's name cannot be reused for about 7 days.
# - Who may enqueue (api, sweep) is granted on this queue only, in iam.tf; tasks carry an OIDC token of
#   the tasks-invoker account, the only one allowed to invoke `evaluate`.
# - Every dispatch attempt is logged (sampling_ratio 1): evaluations are few and each one matters.

resource "google_cloud_tasks_queue" "evaluations" {
  name     = local.queue.name
  location = var.region

  rate_limits {
    max_dispatches_per_second = local.queue.rate_limits.max_dispatches_per_second
    max_concurrent_dispatches = local.queue.rate_limits.max_concurrent_dispatches
  }

  retry_config {
    max_attempts       = local.queue.retry.max_attempts
    min_backoff        = "${local.queue.retry.min_backoff_seconds}s"
    max_backoff        = "${local.queue.retry.max_backoff_seconds}s"
    max_doublings      = local.queue.retry.max_doublings
    max_retry_duration = "${local.queue.retry.max_retry_duration_seconds}s"
  }

  stackdriver_logging_config {
    sampling_ratio = 1.0
  }

  depends_on = [google_project_service.enabled]
}
