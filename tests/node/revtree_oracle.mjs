// The revision-tree oracle: replays each case's paths through pouchdb-merge (PouchDB's own
// merge, stemming and winner code) and reports what PouchDB concludes, for pytest to compare
// with backend/sync/revtree.py.
import { merge, winningRev, collectConflicts, collectLeaves, traverseRevTree, revExists }
  from 'pouchdb-merge';
import { createInterface } from 'node:readline';
import { output } from './pouch.mjs';

// A leaf-first list of "pos-hash" strings as the nested path pouchdb-merge expects.
function toPath(revs, deleted) {
  const rootFirst = [...revs].reverse();
  const pos = parseInt(rootFirst[0].split('-')[0], 10);
  let node = null;
  for (let i = rootFirst.length - 1; i >= 0; i--) {
    const opts = { status: 'available' };
    if (i === rootFirst.length - 1 && deleted) opts.deleted = true;
    node = [rootFirst[i].split('-')[1], opts, node ? [node] : []];
  }
  return { pos, ids: node };
}

function describe(tree) {
  const parents = {};
  traverseRevTree(tree, (isLeaf, pos, id, parent) => {
    const rev = `${pos}-${id}`;
    parents[rev] = parent || null;
    return rev;
  });
  const metadata = { rev_tree: tree };
  return {
    parents,
    leaves: collectLeaves(tree).map((leaf) => [leaf.rev, !!leaf.opts.deleted]),
    winner: winningRev(metadata),
    conflicts: collectConflicts(metadata),
  };
}

function answer(testCase) {
  let tree = [];
  for (const path of testCase.paths) {
    const deleted = testCase.deleted.includes(path[0]);
    tree = merge(tree, toPath(path, deleted), testCase.revs_limit).tree;
  }
  return { ...describe(tree), missing: testCase.ask.filter((rev) => !revExists(tree, rev)) };
}

// One JSON case per input line, one JSON answer per output line: a single Node process
// serves every example Hypothesis generates (and every shrinking step).
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim()) output(answer(JSON.parse(line)));
}
