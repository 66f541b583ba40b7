# Secret Manager secrets: the containers only. Values never pass through Terraform (they would land in
# its state in clear text): the operator adds each version with
#   printf %s "$VALUE" | gcloud secrets versions add <id> --data-file=-
# before the first full apply (a function or revision whose secret has no version fails to deploy).
# The services read version "latest", resolved when an instance starts: see docs/deploy.md, "Rotate a
# secret".
#
# The secret ids are the keys of local.iam_secret_readers (iam.tf), so a secret cannot exist without
# the list of accounts that may read it.

resource "google_secret_manager_secret" "secret" {
  for_each = local.iam_secret_readers

  secret_id = each.key

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}
