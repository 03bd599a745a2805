// Which open tasks this user has seen in the task list on this device, so Beranda can say
// "N tugas tindak lanjut baru" after a sync brings a referral. Ids only, in localStorage
// (read synchronously by the screens) under the drafts' prefix, so logging out wipes it
// with the drafts (drafts.js clearAllDrafts).

const key = (username) => `siklus.draft:${username}:tasks-seen`;

/** The set of task ids seen, or null when the task list was never opened here. */
export function seenTasks(username) {
  try {
    const stored = JSON.parse(localStorage.getItem(key(username)));
    return Array.isArray(stored) ? new Set(stored) : null;
  } catch {
    return null;
  }
}

/** The user looked at these (open) tasks: they are no longer new. */
export function markSeen(username, tasks) {
  localStorage.setItem(key(username), JSON.stringify(tasks.map((task) => task._id)));
}
