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

# The queue of outbound webhook deliveries (docs/webhooks.md): one task per event and endpoint, sent by
# the `evaluate` function's delivery path with the same tasks-invoker OIDC token. Its name and policy
# come from webhook_queue.json (= queue_policy.WEBHOOK_RETRY, checked by tests/infra/test_queue.py).
# Attempts are logged at a tenth: there may be many, and the delivery log keeps each one anyway.
resource "google_cloud_tasks_queue" "webhooks" {
  name     = local.webhook_queue.name
  location = var.region

  rate_limits {
    max_dispatches_per_second = local.webhook_queue.rate_limits.max_dispatches_per_second
    max_concurrent_dispatches = local.webhook_queue.rate_limits.max_concurrent_dispatches
  }

  retry_config {
    max_attempts       = local.webhook_queue.retry.max_attempts
    min_backoff        = "${local.webhook_queue.retry.min_backoff_seconds}s"
    max_backoff        = "${local.webhook_queue.retry.max_backoff_seconds}s"
    max_doublings      = local.webhook_queue.retry.max_doublings
    max_retry_duration = "${local.webhook_queue.retry.max_retry_duration_seconds}s"
  }

  stackdriver_logging_config {
    sampling_ratio = 0.1
  }

  depends_on = [google_project_service.enabled]
}
