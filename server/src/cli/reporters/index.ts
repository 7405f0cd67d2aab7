// The report formats of `pgdba check --format`, by name.
import { githubReporter } from './github';
import { gitlabReporter } from './gitlab';
import { jsonReporter } from './json';
import { sarifReporter } from './sarif';
import { textReporter } from './text';
import type { Reporter } from './types';

export const REPORTERS: Record<string, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  gitlab: gitlabReporter,
};

export const FORMAT_NAMES = 'text, json, sarif, github or gitlab';
