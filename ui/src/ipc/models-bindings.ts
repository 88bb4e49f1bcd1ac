// Generated from crates/folio-models by `FOLIO_UPDATE_BINDINGS=1 cargo test -p folio-models --test bindings`.
// Do not edit: change the Rust types instead.

export type ModelInfo = { id: string, name: string, fileName: string, sizeBytes: number, memoryBytes: number, licence: string, goodFor: string, recommended: boolean, installed: boolean, 
/**
 * Bytes of a paused or interrupted download (0 when none): "Resume" instead of "Download".
 */
partialBytes: number, active: boolean, };

export type InstalledModel = { 
/**
 * The catalogue id, or the file name for a file not in the catalogue.
 */
id: string, name: string, fileName: string, path: string, sizeBytes: number, active: boolean, };

export type DownloadProgress = { modelId: string, stage: DownloadStage, 
/**
 * Bytes on disk so far (a resumed download starts at what the `.part` file held).
 */
doneBytes: number, 
/**
 * The whole file's size, once the server said it.
 */
totalBytes: number | null, };

export type DownloadStage = "connecting" | "downloading" | "verifying" | "done";
