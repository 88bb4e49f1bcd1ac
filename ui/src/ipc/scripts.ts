import type { ScriptAccess } from './bindings';
import { call } from './invoke';

/** Where scripts reach Folio's AI Hub-compatible API, or null when they may not. */
export const getScriptAccess = () => call<ScriptAccess | null>('get_script_access');

export const setScriptAccess = (enabled: boolean) => call<ScriptAccess | null>('set_script_access', { enabled });
