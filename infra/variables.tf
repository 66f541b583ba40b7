# Inputs. Only project_id and livekit_url have no default; see terraform.tfvars.example.

variable "project_id" {
  description = "The Google Cloud project to deploy into (also the Firebase project)."
  type        = string
}

variable "region" {
  description = "Region of the functions, the agent, the queue, the scheduler and the buckets. Must match the `region` of the /api/** rewrite in firebase.json and cloudbuild.yaml's _REGION."
  type        = string
  default     = "us-central1"
}

variable "firestore_location" {
  description = "Location of the (default) Firestore database, fixed once created. null means var.region."
  type        = string
  default     = null
}

variable "service_prefix" {
  description = "Prefix of the service accounts, the agent's Cloud Run service and the scheduler job. Must equal cloudbuild.yaml's _SERVICE_PREFIX. The functions are not prefixed: firebase.json rewrites /api/** to the function named exactly `api`."
  type        = string
  default     = "interviewer-"

  validation {
    # Service account ids are 6-30 characters; the longest suffix is "tasks-invoker" (13).
    condition     = can(regex("^([a-z][a-z0-9-]{0,11})?$", var.service_prefix))
    error_message = "service_prefix: lower-case letters, digits and dashes, starting with a letter, at most 12 characters."
  }
}

variable "public_base_url" {
  description = "Where candidates open invites (<public_base_url>/i/<id>#<secret>). null means the default Firebase Hosting site, https://<project_id>.web.app."
  type        = string
  default     = null
}

variable "hosting_site_id" {
  description = "Firebase Hosting site the web app is deployed to (https://<site>.web.app). null means the project's default site, whose id is the project id."
  type        = string
  default     = null
}

variable "build_repository" {
  description = "Cloud Build repository (2nd gen connection), projects/<project>/locations/<region>/connections/<connection>/repositories/<repository>, in var.region. When set, Terraform creates the CI, publish and release triggers (cloudbuild.tf); null: run the builds by hand (outputs print the commands)."
  type        = string
  default     = null
}

variable "build_repository_type" {
  description = "Host of var.build_repository, as Cloud Build names it (GITHUB, GITLAB, BITBUCKET_SERVER...)."
  type        = string
  default     = "GITHUB"
}

variable "build_branch" {
  description = "Branch whose pushes are tested and published (a regular expression, as Cloud Build triggers take it)."
  type        = string
  default     = "^main$"
}

variable "labels" {
  description = "Labels put on every resource that takes them."
  type        = map(string)
  default     = { app = "ai-interviewer" }
}

# --- Gemini -------------------------------------------------------------------------------------

variable "gemini_model" {
  description = "Text model of the functions (skill extraction, question plan, evaluation): GEMINI_MODEL of api and evaluate."
  type        = string
  default     = "gemini-3.8-flash"
}

variable "traces_exporter" {
  description = "Where the functions and the agent send their traces (TRACES_EXPORTER): cloud_trace, otlp or none (docs/observability.md)."
  type        = string
  default     = "cloud_trace"
  validation {
    condition     = contains(["cloud_trace", "otlp", "none"], var.traces_exporter)
    error_message = "traces_exporter is cloud_trace, otlp or none."
  }
}

variable "metrics_exporter" {
  description = "Where the functions and the agent send their metrics (METRICS_EXPORTER): cloud_monitoring, or none (docs/observability.md). The dashboard and the alert policies of monitoring.tf read cloud_monitoring's."
  type        = string
  default     = "cloud_monitoring"
  validation {
    condition     = contains(["cloud_monitoring", "none"], var.metrics_exporter)
    error_message = "metrics_exporter is cloud_monitoring or none (otlp needs an endpoint, which production does not set)."
  }
}

variable "agent_gemini_model" {
  description = "Live (native audio) model of the agent: GEMINI_LIVE_MODEL of the agent (agent_worker/config.py). It must be a model the Gemini Live API serves."
  type        = string
  default     = "gemini-3.8-live"
}

# --- LiveKit ------------------------------------------------------------------------------------

variable "livekit_url" {
  description = "WebSocket URL of the LiveKit server: wss://<project>.livekit.cloud for LiveKit Cloud, or your own server. The key and secret go to Secret Manager, not here."
  type        = string

  validation {
    condition     = can(regex("^wss://", var.livekit_url))
    error_message = "livekit_url must start with wss:// (browsers refuse ws:// from an https page)."
  }
}

# --- The agent (Cloud Run) ------------------------------------------------------------------------

variable "agent_image" {
  description = "Container image the agent service is CREATED with. Cloud Build deploys every later image (Terraform ignores image changes afterwards). The default is Google's public sample, which answers any path on $PORT, so the first apply succeeds before the first build; it joins no LiveKit room."
  type        = string
  default     = "us-docker.pkg.dev/cloudrun/container/hello"
}

variable "agent_health_path" {
  description = "HTTP path of the agent's startup and liveness probes on port 8081: livekit-agents' own health server answers `/` (200 once registered with LiveKit, 503 when it cannot reach it); tests/integration/test_agent_probe.py checks it on the local agent."
  type        = string
  default     = "/"
}

variable "agent_cpu" {
  description = "vCPUs of one agent instance. Each interview runs in its own worker process; Gemini Live does the speech work remotely."
  type        = string
  default     = "2"
}

variable "agent_memory" {
  description = "Memory of one agent instance."
  type        = string
  default     = "2Gi"
}

variable "agent_min_instances" {
  description = "Agent instances kept running. At least 1: LiveKit dispatches a job only to a connected worker, so with 0 a candidate would wait for a cold start or not be served at all."
  type        = number
  default     = 1

  validation {
    condition     = var.agent_min_instances >= 1
    error_message = "agent_min_instances must be at least 1."
  }
}

variable "agent_max_instances" {
  description = "Upper bound of agent instances (Cloud Run scales on CPU; LiveKit stops dispatching to a worker whose load is above its threshold)."
  type        = number
  default     = 3
}

variable "agent_concurrency" {
  description = "HTTP requests per agent instance. The agent serves only probes and /worker; interviews are outbound WebSocket jobs and are not requests."
  type        = number
  default     = 10
}

# --- Functions ----------------------------------------------------------------------------------

variable "api_min_instances" {
  description = "Warm instances of the api function. 1 keeps the candidate's token request and the dashboard free of cold starts (several seconds with firebase-admin and google-genai imports)."
  type        = number
  default     = 1
}

variable "api_max_instances" {
  description = "Upper bound of api instances."
  type        = number
  default     = 20
}

variable "api_concurrency" {
  description = "Concurrent requests per api instance (needs at least 1 vCPU)."
  type        = number
  default     = 20
}

variable "api_memory" {
  description = "Memory of one api instance."
  type        = string
  default     = "512Mi"
}

variable "evaluate_max_instances" {
  description = "Upper bound of evaluate instances. The queue's max_concurrent_dispatches (infra/queue.json) limits the load first."
  type        = number
  default     = 5
}

# --- Storage and schedule -----------------------------------------------------------------------

variable "archive_retention_days" {
  description = "Backstop: transcript archives without a custom time (written before retention existed) are deleted this many days after they are written. Archives with one go when their interview's retention ends; keep this above the longest workspace retention (730 days) plus the longest invite window (90 days)."
  type        = number
  default     = 830

  validation {
    condition     = var.archive_retention_days >= 1 && var.archive_retention_days <= 3650
    error_message = "archive_retention_days must be between 1 and 3650."
  }
}

variable "sources_retention_days" {
  description = "Function source zips (one per build) are kept this long, so older builds can be redeployed (rollback)."
  type        = number
  default     = 90
}

variable "sweep_schedule" {
  description = "Cron schedule (UTC) of the sweep function: finalises abandoned interviews, expires invites."
  type        = string
  default     = "*/5 * * * *"
}

variable "artifact_repository" {
  description = "Artifact Registry Docker repository of the agent image and the functions' build images. Must equal cloudbuild.yaml's _AR_REPO."
  type        = string
  default     = "interviewer"
}

variable "smtp_host" {
  description = "The SMTP relay that sends candidates their invite and reminder emails (any provider's); its login is in the secrets smtp-username and smtp-password. Empty: no email is sent, and the dashboard says so."
  type        = string
  default     = ""
}

variable "smtp_port" {
  description = "The relay's port (587 with STARTTLS, 465 with implicit TLS); a string, as the environment takes it."
  type        = string
  default     = "587"
  validation {
    condition     = can(regex("^[0-9]{1,5}$", var.smtp_port))
    error_message = "smtp_port must be a port number."
  }
}

variable "smtp_security" {
  description = "How the connection to the relay is protected: starttls or tls."
  type        = string
  default     = "starttls"
  validation {
    condition     = contains(["starttls", "tls"], var.smtp_security)
    error_message = "smtp_security must be starttls or tls (never plain text in production)."
  }
}

variable "mail_from" {
  description = "The From of candidate emails, e.g. \"Acme Hiring <hiring@acme.example>\" (a sender the relay accepts)."
  type        = string
  default     = "AI Interviewer <interviews@example.com>"
}

variable "invite_reminder_lead_hours" {
  description = "How many hours before an invite expires the candidate is reminded, unless they started (0: no reminder); a string, as the environment takes it."
  type        = string
  default     = "24"
  validation {
    condition     = can(regex("^[0-9]{1,3}$", var.invite_reminder_lead_hours))
    error_message = "invite_reminder_lead_hours must be a whole number of hours."
  }
}

# --- Monitoring and cost (monitoring.tf) ----------------------------------------------------------

variable "alert_email" {
  description = "Where the alert policies and the budget send their notifications (an email notification channel). Empty: the alerts still open incidents in Cloud Monitoring, and the budget mails the billing account's administrators."
  type        = string
  default     = ""
}

variable "alert_evaluation_failures" {
  description = "Alert when more evaluations than this fail for good (evaluation_failed) within 10 minutes."
  type        = number
  default     = 0
}

variable "alert_agent_errors" {
  description = "Alert when the agents report more errors than this (model session errors and interviews ended in error) within 10 minutes."
  type        = number
  default     = 3
}

variable "billing_account" {
  description = "The billing account the project is billed to (XXXXXX-XXXXXX-XXXXXX, `gcloud billing projects describe <project>`): the monthly budget is set on it. The account applying Terraform needs roles/billing.costsManager on it (docs/deploy.md)."
  type        = string
  validation {
    condition     = can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account))
    error_message = "billing_account is a billing account id: XXXXXX-XXXXXX-XXXXXX (digits and capital letters A-F)."
  }
}

variable "monthly_budget" {
  description = "The project's monthly budget, in whole units of the billing account's currency: mails at 50 %, 90 % and 100 % of it, and when the month's forecast passes it."
  type        = number
  default     = 500
  validation {
    condition     = var.monthly_budget >= 1 && floor(var.monthly_budget) == var.monthly_budget
    error_message = "monthly_budget is a whole amount of at least 1."
  }
}
