/// Rapport's collections: each customer's profile and preferences (one record each, its id the
/// customer's user id) and their history. Only the owner reads or writes their records; history
/// is written by the business (superusers) and read by its owner.
migrate((app) => {
  const users = app.findCollectionByNameOrId("users");
  const owner = { name: "owner", type: "relation", required: true, collectionId: users.id, maxSelect: 1, cascadeDelete: true };
  for (const name of ["profiles", "preferences"]) {
    app.save(new Collection({
      type: "base",
      name,
      listRule: "owner = @request.auth.id",
      viewRule: "owner = @request.auth.id",
      createRule: "@request.auth.id != '' && @request.body.owner = @request.auth.id",
      updateRule: "owner = @request.auth.id && @request.body.owner:isset = false && @request.body.version:isset = false",
      deleteRule: null,
      fields: [
        owner,
        { name: "document", type: "json", maxSize: 200000 },
        { name: "version", type: "number", onlyInt: true, min: 1 },
      ],
    }));
  }
  app.save(new Collection({
    type: "base",
    name: "history",
    listRule: "owner = @request.auth.id",
    viewRule: "owner = @request.auth.id",
    createRule: null,
    updateRule: null,
    deleteRule: null,
    fields: [
      owner,
      { name: "seq", type: "number", onlyInt: true, required: true },
      { name: "channel", type: "text", required: true },
      { name: "occurred_at", type: "number", onlyInt: true, required: true },
      { name: "kind", type: "text", required: true },
      { name: "details", type: "json", maxSize: 20000 },
    ],
    indexes: ["CREATE INDEX idx_history_owner_time ON history (owner, occurred_at DESC, seq DESC)"],
  }));
}, (app) => {
  for (const name of ["history", "preferences", "profiles"]) {
    app.delete(app.findCollectionByNameOrId(name));
  }
});
