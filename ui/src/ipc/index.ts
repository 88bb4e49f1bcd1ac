// The UI's only door to Rust. Components import from here, never from @tauri-apps.
export * from './bindings';
export { FolioError, describe } from './errors';
export { getAppInfo } from './app';
export {
  getSettings,
  hasSecret,
  listOllamaModels,
  saveSettings,
  setSecret,
  testAihubConnection,
  testAiriaConnection,
  testLanguageModel,
  testPiecesConnection,
} from './settings';
export { deliverPaths, fileName, listenForDrops, onDragHover, onPathsDelivered, pickFiles } from './files';
export {
  addDocuments,
  cancelDocuments,
  createConversation,
  deleteConversation,
  deleteDocuments,
  followConversation,
  getConversation,
  listConversations,
  retryDocuments,
  sourceFacts,
  updateConversation,
} from './conversations';
export { chatHistory, converse, exportConversation, stopAnswer } from './chat';
export { getScriptAccess, setScriptAccess } from './scripts';
export { searchEverywhere } from './search';
export { documentDetails, pageView, renderPage, type Citation } from './viewer';
export {
  askChatbot,
  createChatbot,
  deleteChatbot,
  listChatbots,
  pickDocuments,
  pickFolder,
  renameChatbot,
  stopChatbot,
} from './chatbots';
export type { ChatbotAsk } from './chatbots';
export { deleteModel, downloadModel, listModels, pauseModelDownload, useModel } from './models';
export type { DownloadProgress, InstalledModel, ModelInfo } from './models';
