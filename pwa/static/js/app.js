// What every screen needs once the user has unlocked the app: who they are and the stores.
// Filled by main.js before the first view renders; views only read it.

export const app = {
  profile: null,
  desk: false,     // desk mode: records from the API on demand, push-only (desk-records.js)   // {username, display_name, role, role_label, cluster, scopes, writes}
  records: null,   // Records (records.js)
  index: null,     // PersonIndex (search.js)
  outbox: null,    // Outbox (outbox.js)
  sync: null,      // SyncController (sync.js)
  relogin: null,   // main.js: log in again when the server session has ended
  loggedOut: null, // main.js: the login screen in place after a logout the page cannot reload
};

export function canWrite(type) {
  return app.profile.writes.includes(type);
}

export function hasRole(...roles) {
  return roles.includes(app.profile.role);
}
