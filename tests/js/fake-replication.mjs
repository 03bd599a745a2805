// A stand-in for a PouchDB replication or changes feed: options kept, handlers registered with
// `on`, events fired by the test with `emit`. Shared by the sync controller's tests.

export class FakeEmitter {
  constructor(opts = {}) {
    this.opts = opts;
    this.handlers = {};
  }

  on(event, handler) {
    (this.handlers[event] ??= []).push(handler);
    return this;
  }

  emit(event, arg) {
    (this.handlers[event] ?? []).forEach((handler) => handler(arg));
  }

  cancel() {}

  catch() {
    return this;
  }
}
