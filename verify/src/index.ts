// The harness's public entry: what the site and the tests may use. Everything else under
// verify/src is internal and may move.
// The copy button: which fences are shell blocks, and what of one a reader copies.
export { commandsToCopy } from './extract/copy.ts';
export { SHELL_LANGS } from './extract/markdown.ts';
export { parseFenceMeta } from './extract/meta.ts';
// How the harness reads a page: the site tests hold the copy button to the commands it types.
export { extractPage } from './extract/markdown.ts';
// A block's one identity (digest and order among identical blocks of its page): the site
// numbers a page's blocks with it, and finds each one's verification by its key.
export { blockIds, blockKey, type BlockId } from './model/block-id.ts';
export { stepsOf, type Block, type Step } from './model/plan.ts';
export { ReportSchema, type Proof, type Report, type Status } from './model/report.ts';
// Why a block got its verdict, as data: the site words it in each page's language.
export { CAUSE_KINDS, NOTE_KINDS, type Cause, type Note } from './model/cause.ts';
// The harness's English words for them (the site's tests check none reach a Spanish page).
export { causeWords } from './report/cause-words.ts';
export { readSnapshot, defaultSnapshotPath } from './snapshot/file.ts';
// The site tests make a snapshot the way a run does.
export { mergeSnapshot } from './snapshot/merge.ts';
export { SnapshotSchema, type EngineResult, type Snapshot, type SnapshotBlock } from './snapshot/model.ts';
export { engineResults } from './snapshot/engines.ts';
