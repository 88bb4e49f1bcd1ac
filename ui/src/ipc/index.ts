// The UI's only door to Rust. Components import from here, never from @tauri-apps.
export * from './bindings';
export { FolioError, describe } from './errors';
export { getAppInfo } from './app';
export { getSettings, saveSettings, setAihubToken, hasAihubToken } from './settings';
export { deliverPaths, fileName, listenForDrops, onDragHover, onPathsDelivered, pickFiles } from './files';
export {
  addDocuments,
  createConversation,
  deleteConversation,
  deleteDocuments,
  followConversation,
  getConversation,
  listConversations,
  updateConversation,
} from './conversations';
export { converse } from './chat';
export { getScriptAccess, setScriptAccess } from './scripts';
