// 着信地域別 (detailed 02): calls by the prefecture of the DN that took the call (region.ts draws it).
import { regionView } from './region';

export const destination = regionView('destination');
