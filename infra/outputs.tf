output "public_base_url" {
  description = "Where candidates open invites (PUBLIC_BASE_URL)."
  value       = local.public_base_url
}

output "api_url" {
  description = "The api function (also reached as <public_base_url>/api/** through Hosting)."
  value       = google_cloudfunctions2_function.api.url
}

output "evaluate_url" {
  description = "The evaluate function (EVALUATE_URL; invoked only by the queue)."
  value       = google_cloudfunctions2_function.evaluate.url
}

output "sweep_url" {
  description = "The sweep function (invoked only by the scheduler)."
  value       = google_cloudfunctions2_function.sweep.url
}

output "function_run_urls" {
  description = "The run.app URLs of the functions' Cloud Run services."
  value = {
    api      = google_cloudfunctions2_function.api.service_config[0].uri
    evaluate = google_cloudfunctions2_function.evaluate.service_config[0].uri
    sweep    = google_cloudfunctions2_function.sweep.service_config[0].uri
  }
}

output "agent_service" {
  description = "The agent's Cloud Run service (internal ingress)."
  value = {
    name = google_cloud_run_v2_service.agent.name
    uri  = google_cloud_run_v2_service.agent.uri
  }
}

output "archive_bucket" {
  description = "STORAGE_BUCKET: transcript archives."
  value       = google_storage_bucket.archives.name
}

output "sources_bucket" {
  description = "Function source zips uploaded by Cloud Build."
  value       = google_storage_bucket.sources.name
}

output "agent_image_repository" {
  description = "Where Cloud Build pushes the agent image."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "tasks_queue" {
  description = "The evaluations queue."
  value       = google_cloud_tasks_queue.evaluations.id
}

output "service_accounts" {
  description = "Service account emails by role."
  value       = { for key, account in google_service_account.sa : key => account.email }
}

output "cloudbuild_substitutions" {
  description = "Substitutions for `gcloud builds submit` / the trigger, matching this configuration."
  value       = "_REGION=${var.region},_AR_REPO=${var.artifact_repository},_SERVICE_PREFIX=${var.service_prefix}"
}

output "cloudbuild_service_account" {
  description = "Run Cloud Build as this account (trigger setting, or gcloud builds submit --service-account)."
  value       = google_service_account.sa["deployer"].id
}
