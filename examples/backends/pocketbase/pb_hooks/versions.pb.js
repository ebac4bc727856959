/// Optimistic concurrency for Rapport's documents, which PocketBase does not have by itself.
///
/// A record carries `version` (1 when created, one more per accepted update). An update must
/// send `If-Match: "<version it edited>"`: a stale one is refused with 412 and a missing one
/// with 428, so nothing is silently overwritten. Create is refused with 412 when the record
/// exists, so two racing first saves cannot both win. The check and the write happen in one
/// transaction, which PocketBase runs one at a time, so two requests cannot both pass it.

onRecordCreateRequest((e) => {
  if (!e.auth) {
    throw new UnauthorizedError("Sign in first.");
  }
  if (e.record.id !== e.auth.id || e.record.get("owner") !== e.auth.id) {
    throw new ForbiddenError("A customer's document has the customer's own id and owner.");
  }
  e.app.runInTransaction((txApp) => {
    let exists = true;
    try {
      txApp.findRecordById(e.collection.id, e.record.id);
    } catch (_) {
      exists = false;
    }
    if (exists) {
      throw new ApiError(412, "Someone else saved first; read the record again.", {});
    }
    e.record.set("version", 1);
    e.app = txApp;
    e.next();
  });
}, "profiles", "preferences");

onRecordUpdateRequest((e) => {
  if (!e.auth) {
    throw new UnauthorizedError("Sign in first.");
  }
  // Request headers, lower-cased with "-" as "_", as PocketBase gives them to hooks.
  const header = e.requestInfo().headers["if_match"];
  e.app.runInTransaction((txApp) => {
    let current;
    try {
      current = txApp.findRecordById(e.collection.id, e.record.id);
    } catch (_) {
      throw new NotFoundError("No such record.");
    }
    // Another customer's record: the same answer as for one that does not exist.
    if (current.get("owner") !== e.auth.id) {
      throw new NotFoundError("No such record.");
    }
    if (!header) {
      throw new ApiError(428, "Send If-Match with the version you edited.", {});
    }
    const expected = parseInt(header.trim().replace(/^"|"$/g, ""), 10);
    if (current.getInt("version") !== expected) {
      throw new ApiError(412, "Someone else saved first; read the record again.", {});
    }
    e.record.set("version", expected + 1);
    e.app = txApp;
    e.next();
  });
}, "profiles", "preferences");
