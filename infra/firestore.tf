# Firestore in native mode and the composite indexes the queries need.
#
# Decisions:
# - The indexes are read from ../firestore.indexes.json, the file `firebase deploy --only
#   firestore:indexes` (cloudbuild.yaml) and the emulator use, so the two can never list different
#   indexes. Both tools create the same indexes; an index created by one is an "already exists" error
#   for the other. Order of work: add an index to the file, `terraform apply`, then deploy. If a build
#   got there first: `terraform import google_firestore_index.composite["<key>"] <index id>`.
# - Security rules are not managed here: `firebase deploy --only firestore:rules` owns them.
# - The database is created here. If it already exists (created in the console), import it:
#   `terraform import google_firestore_database.default "projects/<project>/databases/(default)"`.
# - delete_protection_state: a `terraform destroy` must not drop every interview and report.

resource "google_firestore_database" "default" {
  name                    = "(default)"
  location_id             = local.firestore_location
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  deletion_policy         = "ABANDON"

  depends_on = [google_project_service.enabled]
}

locals {
  firestore_indexes = jsondecode(file("${path.module}/../firestore.indexes.json")).indexes

  # Keyed by collection and fields (stable across reordering of the file).
  firestore_composite_indexes = {
    for index in local.firestore_indexes :
    join("__", concat([index.collectionGroup], [for field in index.fields : "${field.fieldPath}_${lower(lookup(field, "order", lookup(field, "arrayConfig", "")))}"])) => index
  }
}

resource "google_firestore_index" "composite" {
  for_each = local.firestore_composite_indexes

  database    = google_firestore_database.default.name
  collection  = each.value.collectionGroup
  query_scope = lookup(each.value, "queryScope", "COLLECTION")

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = lookup(fields.value, "order", null)
      array_config = lookup(fields.value, "arrayConfig", null)
    }
  }
}

# Retention (functions/interview_core/domain/retention.py): every stored item of an interview carries
# the timestamp `expire_at`, stamped from its workspace's retention period. A TTL policy per collection
# group deletes documents once it has passed (typically within a day). Firestore TTL does not delete a
# document's subcollections, so the turns have their own policy and carry the same field. The sweep
# function deletes on the same field too (it is what deletes locally, where the emulator has no TTL);
# the interviews, reports and tombstones keep their single-field index for its queries, the turns
# (written often, never queried by expiry) have none.
locals {
  ttl_field = "expire_at"
  ttl_collections = {
    interviews = true
    turns      = false
    reports    = true
    tombstones = true
  }
}

resource "google_firestore_field" "ttl" {
  for_each = local.ttl_collections

  database   = google_firestore_database.default.name
  collection = each.key
  field      = local.ttl_field

  ttl_config {}

  dynamic "index_config" {
    for_each = each.value ? [] : [true]
    content {}
  }
}

# Rate-limit windows (functions/interview_core/adapters/rate_limits.py): one document per route, caller
# and minute, written on every limited request and never read after its window. Each carries
# `expires_at` (its window's end plus an hour), and this TTL policy deletes it once that has passed,
# so the collection holds about a day of windows instead of growing with every request ever made. No
# single-field index on the field: nothing queries by it, and an index on a timestamp written by every
# request would only add write cost.
locals {
  rate_limit_collection = "rate_limits"
  rate_limit_ttl_field  = "expires_at"
}

resource "google_firestore_field" "rate_limit_ttl" {
  database   = google_firestore_database.default.name
  collection = local.rate_limit_collection
  field      = local.rate_limit_ttl_field

  ttl_config {}

  index_config {}
}
