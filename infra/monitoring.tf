# What operators watch and are told about: the Cloud Monitoring dashboard, the alert policies, and the
# project's monthly budget.
#
# Decisions:
# - The dashboard's JSON lives in monitoring/dashboard.json (the Monitoring API's own format, so it can
#   be copied to and from the console). Its `workload.googleapis.com/...` metric types are the
#   instruments of functions/interview_core/metrics.py as the Cloud Monitoring exporter names them
#   (METRICS_EXPORTER=cloud_monitoring): tests/infra/test_monitoring.py fails on a name the code does
#   not emit, so a renamed instrument cannot leave a chart silently empty. Queue depth and agent
#   instances are Google's own metrics of the queue and of the agent's Cloud Run service.
# - Alerts on what needs a person: evaluations that failed for good (a recruiter is waiting for a
#   report) and errors in the agents (interviews being cut). Retried evaluation attempts are not
#   alerted on: the queue retries them, and they show on the dashboard.
# - Notifications go to var.alert_email when given; without it the policies still open incidents in
#   the console. The budget mails the billing account's administrators in any case.
# - The budget covers this project only, on the billing account given as var.billing_account (needs the
#   Billing Budget API and roles/billing.costsManager on the account for whoever applies: docs/deploy.md).

resource "google_monitoring_dashboard" "interviews" {
  dashboard_json = templatefile("${path.module}/monitoring/dashboard.json", {
    queue         = local.queue.name
    agent_service = local.agent_service_name
  })

  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_notification_channel" "email" {
  count = var.alert_email == "" ? 0 : 1

  display_name = "AI Interviewer alerts"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }

  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_alert_policy" "evaluation_failures" {
  display_name          = "Evaluations failed for good"
  combiner              = "OR"
  notification_channels = google_monitoring_notification_channel.email[*].id

  conditions {
    display_name = "interviewer.evaluation.failures (outcome=failed) over 10 minutes"
    condition_threshold {
      filter          = "metric.type=\"workload.googleapis.com/interviewer.evaluation.failures\" AND metric.labels.outcome=\"failed\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_evaluation_failures
      duration        = "0s"
      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "An interview's evaluation failed for good: the recruiter sees `evaluation_failed` with the reason and can re-evaluate. Look up the reason in the logs (`jsonPayload.message=\"evaluation failed for good\"` or `\"evaluation refused by the model; not retried\"`) and the interview's trace (docs/observability.md). Gemini quota or an unknown model name are the usual causes."
  }

  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_alert_policy" "agent_errors" {
  display_name          = "Agent errors"
  combiner              = "OR"
  notification_channels = google_monitoring_notification_channel.email[*].id

  conditions {
    display_name = "interviewer.agent.errors over 10 minutes"
    condition_threshold {
      filter          = "metric.type=\"workload.googleapis.com/interviewer.agent.errors\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_agent_errors
      duration        = "0s"
      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "The agents report Gemini Live session errors (kind=model) or interviews that ended in error (kind=interview). Check the agent's logs (`resource.labels.service_name=\"${local.agent_service_name}\" AND severity>=WARNING`), the Live model's status and LiveKit's; interviews that ended in error carry `end_detail`."
  }

  depends_on = [google_project_service.enabled]
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_billing_budget" "monthly" {
  billing_account = var.billing_account
  display_name    = "AI Interviewer (${var.project_id})"

  budget_filter {
    projects = ["projects/${data.google_project.this.number}"]
  }

  amount {
    specified_amount {
      units = tostring(var.monthly_budget)
    }
  }

  threshold_rules {
    threshold_percent = 0.5
  }
  threshold_rules {
    threshold_percent = 0.9
  }
  threshold_rules {
    threshold_percent = 1.0
  }
  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "FORECASTED_SPEND"
  }

  all_updates_rule {
    monitoring_notification_channels = google_monitoring_notification_channel.email[*].id
  }

  depends_on = [google_project_service.enabled]
}
