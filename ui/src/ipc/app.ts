import type { AppInfo } from './bindings';
import { call } from './invoke';

export const getAppInfo = () => call<AppInfo>('get_app_info');
