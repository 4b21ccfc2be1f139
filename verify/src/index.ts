// The harness's public entry: what the site and the tests may use. Everything else under
// verify/src is internal and may move.
export { commandsToCopy } from './extract/prompts.ts';
export { parseFenceMeta } from './extract/meta.ts';
// How the harness reads a page: the site tests hold the copy button to the commands it types.
export { extractPage } from './extract/markdown.ts';
export { blockDigest } from './model/digest.ts';
export { ReportSchema, type Proof, type Report, type Status } from './model/report.ts';
export { readSnapshot, defaultSnapshotPath } from './snapshot/file.ts';
export { snapshotKey, SnapshotSchema, type EngineResult, type Snapshot, type SnapshotBlock } from './snapshot/model.ts';
export { engineResults } from './snapshot/engines.ts';
