/**
 * Worker thread entry: builds the postings for SearchIndex.buildAsync and
 * hands the typed arrays back by transfer (no copy).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildPostings, type PostingsInput } from './postings.js';
import { runInBackground } from '../engine/background.js';

runInBackground();

const result = buildPostings(workerData as PostingsInput);
parentPort!.postMessage(result, [result.offsets.buffer, result.docs.buffer, result.impacts.buffer, result.maxImpact.buffer, ...(result.stats ? [result.stats.fieldDf.buffer] : [])] as ArrayBuffer[]);
