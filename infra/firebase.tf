# Firebase: the project link, the web app whose config the SPA is built with, the Hosting site it is
# deployed to, and the Auth settings recruiters sign in with.
#
# Decisions:
# - google_firebase_project, google_firebase_web_app, google_firebase_hosting_site and the
#   google_firebase_web_app_config data source are google-beta resources (the provider documents them
#   as beta); everything else uses the GA provider.
# - google_firebase_project is a no-op on a project that already has Firebase (the Firebase console or
#   `firebase projects:addfirebase` added it): the API answers with the existing link.
# - The Hosting site is created here, because `firebase deploy --non-interactive` refuses a project
#   without one. Its id defaults to the project id, the project's default site
#   (https://<project>.web.app). If the console already created that site, import it:
#   `terraform import google_firebase_hosting_site.default projects/<project>/sites/<site>`.
# - The web app's config (API key, auth domain) is not a secret: it is in every browser that loads the
#   SPA. It reaches the web build as the publish trigger's substitutions (cloudbuild.tf), or through the
#   output `publish_substitutions` for a build started by hand.
# - Auth: Identity Platform's config enables email/password sign-in and lists the authorized domains
#   (the Hosting domains, and public_base_url's host). Creating it upgrades the project's Firebase
#   Authentication to Identity Platform (docs/deploy.md: pricing). Google sign-in needs an OAuth client,
#   which no API creates: it is enabled in the Firebase console (docs/deploy.md, step "Sign-in").
# - deletion_policy ABANDON: `terraform destroy` leaves the web app, whose API key the deployed SPA uses.

resource "google_firebase_project" "default" {
  provider = google-beta
  project  = var.project_id

  depends_on = [google_project_service.enabled]
}

resource "google_firebase_web_app" "spa" {
  provider        = google-beta
  project         = var.project_id
  display_name    = "AI Interviewer"
  deletion_policy = "ABANDON"

  depends_on = [google_firebase_project.default]
}

data "google_firebase_web_app_config" "spa" {
  provider   = google-beta
  project    = var.project_id
  web_app_id = google_firebase_web_app.spa.app_id
}

resource "google_firebase_hosting_site" "default" {
  provider = google-beta
  project  = var.project_id
  site_id  = local.hosting_site
  app_id   = google_firebase_web_app.spa.app_id
}

locals {
  # Where recruiters may sign in from: the Firebase domains of the project and of the site, and the
  # public URL's host (a custom domain).
  auth_authorized_domains = distinct([
    "${var.project_id}.firebaseapp.com",
    "${var.project_id}.web.app",
    "${local.hosting_site}.firebaseapp.com",
    "${local.hosting_site}.web.app",
    regex("^https?://([^/:]+)", local.public_base_url)[0],
  ])

  # VITE_FIREBASE_* of the web build (hosting/src/config.ts), as Cloud Build substitutions.
  firebase_web_config = {
    _FIREBASE_PROJECT_ID  = var.project_id
    _FIREBASE_API_KEY     = data.google_firebase_web_app_config.spa.api_key
    _FIREBASE_AUTH_DOMAIN = data.google_firebase_web_app_config.spa.auth_domain
    _HOSTING_SITE         = google_firebase_hosting_site.default.site_id
  }
}

resource "google_identity_platform_config" "auth" {
  project            = var.project_id
  authorized_domains = local.auth_authorized_domains

  sign_in {
    allow_duplicate_emails = false

    email {
      enabled           = true
      password_required = true
    }
  }

  depends_on = [google_project_service.enabled, google_firebase_project.default]
}
