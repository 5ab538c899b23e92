// 発信地域別 (detailed 01): calls by the prefecture the call came from (region.ts draws it).
import { regionView } from './region';

export const origin = regionView('origin');
