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

output "build_service_accounts" {
  description = "The three build accounts: ci (tests), deployer (publish), releaser (approved releases)."
  value = {
    ci       = google_service_account.sa["ci"].email
    deployer = google_service_account.sa["deployer"].email
    releaser = google_service_account.sa["releaser"].email
  }
}

output "publish_substitutions" {
  description = "--substitutions of the publish build (cloudbuild.yaml) started by hand; the trigger has the same. Add SHORT_SHA=$(git rev-parse --short HEAD)."
  value       = join(",", [for key, value in local.publish_substitutions : "${key}=${value}"])
}

output "build_commands" {
  description = "The three builds started by hand, from the repository root (docs/deploy.md, \"Deploy\")."
  value = {
    ci = join(" ", [
      "gcloud builds submit --config=cloudbuild.ci.yaml --region=${var.region}",
      "--service-account=${google_service_account.sa["ci"].id}",
      "--gcs-source-staging-dir=gs://${google_storage_bucket.build_staging.name}/source",
      "--substitutions=SHORT_SHA=$(git rev-parse --short HEAD)",
    ])
    publish = join(" ", [
      "gcloud builds submit --config=cloudbuild.yaml --region=${var.region}",
      "--service-account=${google_service_account.sa["deployer"].id}",
      "--gcs-source-staging-dir=gs://${google_storage_bucket.build_staging.name}/source",
      "--substitutions=SHORT_SHA=$(git rev-parse --short HEAD),${join(",", [for key, value in local.publish_substitutions : "${key}=${value}"])}",
    ])
    release = join(" ", [
      "gcloud builds submit --no-source --config=cloudbuild.release.yaml --region=${var.region}",
      "--service-account=${google_service_account.sa["releaser"].id}",
      "--substitutions=SHORT_SHA=<published short sha>",
    ])
  }
}

output "firebase_web_app" {
  description = "The web app the SPA is built for, and the Hosting site it is deployed to."
  value = {
    app_id      = google_firebase_web_app.spa.app_id
    auth_domain = data.google_firebase_web_app_config.spa.auth_domain
    site        = google_firebase_hosting_site.default.site_id
    site_url    = google_firebase_hosting_site.default.default_url
  }
}
