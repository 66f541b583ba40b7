# APIs the deployment uses. Never disabled on destroy: other things in the project may use them, and
# disabling Firestore or Secret Manager by accident is destructive.
#   artifactregistry   the agent image, the functions' build images
#   billingbudgets     the monthly budget (monitoring.tf)
#   cloudbuild         cloudbuild.yaml; 2nd gen functions are built by Cloud Build
#   cloudfunctions     api, evaluate, sweep
#   cloudscheduler     sweep every 5 minutes
#   cloudtasks         the evaluations queue
#   firebase*          Hosting and the Firestore security rules (firebase deploy)
#   firestore          the database
#   iamcredentials     OIDC tokens of Cloud Tasks, Cloud Scheduler and the agent's webhook
#   identitytoolkit    Firebase Auth: recruiters sign in, the api verifies their ID tokens
#   monitoring         the metrics, the dashboard and the alert policies (monitoring.tf)
#   run                the agent; 2nd gen functions run on Cloud Run
#   secretmanager      the four secrets
locals {
  services = [
    "artifactregistry.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "cloudtasks.googleapis.com",
    "cloudtrace.googleapis.com",
    "firebase.googleapis.com",
    "firebasehosting.googleapis.com",
    "firebaserules.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "identitytoolkit.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "serviceusage.googleapis.com",
    "storage.googleapis.com",
  ]
}

resource "google_project_service" "enabled" {
  for_each = toset(local.services)

  service            = each.value
  disable_on_destroy = false
}
