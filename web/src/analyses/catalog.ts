// Every analysis view, in navigation order. A new analysis is one module registered here.
import './texts';
import { t } from '../i18n';
import { analysisNav } from '../layout';
import type { AnalysisView } from './view';
import { traffic } from './traffic';
import { annual } from './annual';
import { compare } from './compare';
import { incomplete } from './incomplete';
import { origin } from './origin';
import { destination } from './destination';
import { originDestination } from './origin-destination';
import { numbers } from './numbers';
import { callsMinutes } from './calls-minutes';
import { callers } from './callers';
import { lines } from './lines';
import { distribution } from './distribution';

export const catalog: AnalysisView[] = [traffic, annual, compare, incomplete,
  origin, destination, originDestination, numbers, callsMinutes, callers, lines, distribution];

export const viewNamed = (name: string) => catalog.find((v) => v.name === name);

for (const v of catalog) analysisNav.push({ path: v.path, label: () => t(`view.${v.name}`), standard: v.plan === 'standard' });
